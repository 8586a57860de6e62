import { describe, expect, it } from 'vitest';
import { classifyGlobal } from './dangerous-globals.js';

const severityOf = (module: string, name: string) => classifyGlobal(module, name).severity;

describe('classifyGlobal', () => {
  it.each([
    ['os', 'system'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['subprocess', 'Popen'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['builtins', '__import__'],
    ['builtins', 'getattr'],
    ['__builtin__', 'eval'],
    ['socket', 'create_connection'],
    ['shutil', 'rmtree'],
    ['runpy', '_run_code'],
    ['importlib', 'import_module'],
    ['pickle', 'loads'],
    ['marshal', 'loads'],
    ['types', 'CodeType'],
    ['ctypes', 'CDLL'],
    ['sys', 'modules'],
    ['webbrowser', 'open'],
    ['urllib.request', 'urlopen'],
    ['asyncio.subprocess', 'create_subprocess_shell'],
    ['numpy', 'load'],
    ['torch', 'load'],
    ['torch', 'os.system'],
    ['collections', 'OrderedDict.__class__'],
  ])('%s.%s is critical', (module, name) => {
    expect(severityOf(module, name)).toBe('critical');
  });

  it.each([
    ['collections', 'OrderedDict'],
    ['torch._utils', '_rebuild_tensor_v2'],
    ['torch._utils', '_rebuild_parameter'],
    ['torch', 'FloatStorage'],
    ['torch', 'BFloat16Storage'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['numpy._core.multiarray', '_reconstruct'],
    ['numpy', 'dtype'],
    ['numpy', 'ndarray'],
    ['builtins', 'set'],
    ['__builtin__', 'frozenset'],
    ['_codecs', 'encode'],
    ['copyreg', '_reconstructor'],
    ['copy_reg', '_reconstructor'],
  ])('%s.%s is allowed', (module, name) => {
    expect(severityOf(module, name)).toBe('none');
  });

  it('rates indirect gadgets high, ML library classes low and anything unknown medium', () => {
    expect(severityOf('torch.storage', '_load_from_bytes')).toBe('high');
    expect(severityOf('operator', 'attrgetter')).toBe('high');
    expect(severityOf('functools', 'partial')).toBe('high');
    expect(severityOf('builtins', 'print')).toBe('high');
    expect(severityOf('collections', 'OrderedDict.fromkeys')).toBe('high');
    expect(severityOf('sklearn.linear_model._logistic', 'LogisticRegression')).toBe('low');
    expect(severityOf('mypackage.models', 'Net')).toBe('medium');
  });
});
