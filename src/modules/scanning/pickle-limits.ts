// Bounds on what a hostile file can make the scanner hold. Anything larger is skipped (counted, not kept),
// so a multi-GiB payload costs no more than a small one.
export const MAX_TRACKED_STRING = 1024;
export const MAX_LINE = 4096;
export const MAX_STACK = 100_000;
export const MAX_MEMO_STRINGS = 100_000;
export const MAX_MEMO_CHARS = 8 * 1024 * 1024;
export const MAX_SPARSE_MEMO_KEYS = 100_000;
export const MAX_IMPORTS = 10_000;
export const MAX_ANOMALIES = 1_000;
