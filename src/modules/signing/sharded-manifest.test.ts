import { describe, expect, it } from 'vitest';
import {
  compareShards,
  fileShards,
  parseShardName,
  shardedAlgorithm,
  shardName,
} from './sharded-manifest.js';

describe('sharded manifest', () => {
  it('cuts end-exclusive shards with a short last one, none for an empty file', () => {
    expect(fileShards('f', 9, 2).map(shardName)).toEqual(['f:0:2', 'f:2:4', 'f:4:6', 'f:6:8', 'f:8:9']);
    expect(fileShards('f', 8, 2).map(shardName).at(-1)).toBe('f:6:8');
    expect(fileShards('f', 0, 2)).toEqual([]);
  });

  it('orders by path component by component, then numerically', () => {
    const names = ['a.txt:0:1', 'a/b:10:20', 'a/b:2:10', 'a-b/c:0:1', 'a/b:0:2'];
    const sorted = names
      .map((n) => parseShardName(n)!)
      .sort(compareShards)
      .map(shardName);
    expect(sorted).toEqual(['a/b:0:2', 'a/b:2:10', 'a/b:10:20', 'a-b/c:0:1', 'a.txt:0:1']);
  });

  it('parses names and the algorithm name', () => {
    expect(parseShardName('x/y:0:5')).toEqual({ path: 'x/y', start: 0, end: 5 });
    expect(parseShardName('x:y:0:5')).toBeNull();
    expect(parseShardName('x:a:5')).toBeNull();
    expect(shardedAlgorithm('sha256', 1_000_000_000)).toBe('sha256-sharded-1000000000');
  });
});
