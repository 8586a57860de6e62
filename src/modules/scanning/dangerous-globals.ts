import type { Severity } from './severity.js';

export interface GlobalVerdict {
  severity: Severity;
  reason: string;
}

/** Globals that ordinary model pickles (PyTorch, NumPy, scikit-learn via joblib) import and that run no code. */
export const safeGlobals: ReadonlySet<string> = new Set([
  'collections.OrderedDict',
  'collections.defaultdict',
  'collections.deque',
  'copyreg._reconstructor',
  'copyreg.__newobj__',
  'copyreg.__newobj_ex__',
  '_codecs.encode',
  ...['set', 'frozenset', 'list', 'dict', 'tuple', 'int', 'float', 'complex', 'bool', 'str']
    .concat(['bytes', 'bytearray', 'slice', 'range', 'object'])
    .map((n) => `builtins.${n}`),
  ...['_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter']
    .concat(['_rebuild_parameter_with_state', '_rebuild_sparse_tensor', '_rebuild_qtensor'])
    .concat([
      '_rebuild_meta_tensor_no_storage',
      '_rebuild_nested_tensor',
      '_rebuild_device_tensor_from_numpy',
    ])
    .map((n) => `torch._utils.${n}`),
  'torch._tensor._rebuild_from_type_v2',
  'torch.Size',
  'torch.device',
  'torch.dtype',
  'torch.storage.UntypedStorage',
  'torch.storage.TypedStorage',
  'torch.serialization._get_layout',
  ...['Double', 'Float', 'Half', 'BFloat16', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Bool']
    .concat(['ComplexFloat', 'ComplexDouble', 'QUInt8', 'QInt8', 'QInt32', 'QUInt4x2', 'QUInt2x4', 'Untyped'])
    .map((n) => `torch.${n}Storage`),
  ...['float16', 'float32', 'float64', 'bfloat16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool']
    .concat(['complex64', 'complex128', 'float8_e4m3fn', 'float8_e5m2'])
    .map((n) => `torch.${n}`),
  ...['torch.contiguous_format', 'torch.channels_last', 'torch.preserve_format', 'torch.strided'],
  ...['_reconstruct', 'scalar'].flatMap((n) => [`numpy.core.multiarray.${n}`, `numpy._core.multiarray.${n}`]),
  'numpy.dtype',
  'numpy.ndarray',
  ...['__randomstate_ctor', '__bit_generator_ctor', '__generator_ctor'].map(
    (n) => `numpy.random._pickle.${n}`,
  ),
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'joblib.numpy_pickle.NDArrayWrapper',
]);

/** Modules whose every global is an import or call gadget (processes, files, network, code loading). */
const criticalModules = [
  ...['os', 'posix', 'nt', 'posixpath', 'ntpath', 'subprocess', 'pty', 'shutil', 'socket', '_socket'],
  ...['socketserver', 'ssl', 'runpy', 'importlib', 'imp', 'pkgutil', 'zipimport', 'pickle', '_pickle'],
  ...['cPickle', 'dill', 'cloudpickle', 'marshal', 'ctypes', '_ctypes', 'cffi', 'sys', 'webbrowser'],
  ...['requests', 'urllib', 'urllib2', 'urllib3', 'http', 'httplib', 'httpx', 'aiohttp', 'ftplib', 'smtplib'],
  ...['telnetlib', 'xmlrpc', 'asyncio', 'multiprocessing', 'code', 'codeop', 'pdb', 'bdb', 'timeit'],
  ...['trace', 'profile', 'cProfile', 'platform', 'commands', 'popen2', 'fileinput', 'distutils'],
  ...['setuptools', 'pip', 'ensurepip', 'venv', 'io', '_io', 'numpy.f2py'],
  ...['numpy.distutils', 'numpy.ctypeslib', 'numpy.testing', 'pandas.io', 'torch.hub', 'torch.package'],
  ...['torch.utils.cpp_extension', 'torch.jit', 'torch._dynamo', 'torch._inductor'],
];

/** Single functions that execute code, load nested pickles, or reach arbitrary attributes. */
const criticalGlobals = new Set([
  ...['eval', 'exec', 'execfile', 'compile', '__import__', 'open', 'file', 'getattr', 'setattr', 'delattr']
    .concat(['globals', 'locals', 'vars', 'breakpoint', 'input', 'raw_input', 'reload', 'help', 'apply'])
    .map((n) => `builtins.${n}`),
  ...['FunctionType', 'CodeType', 'LambdaType', 'MethodType'].map((n) => `types.${n}`),
  'codecs.open',
  'numpy.load',
  'numpy.lib.npyio.load',
  'pandas.eval',
  'pandas.read_pickle',
  'pandas.core.computation.eval.eval',
  'torch.load',
  'torch.serialization.load',
  'joblib.load',
  'yaml.load',
  'yaml.unsafe_load',
  'yaml.full_load',
]);

/** Modules that do not run code on their own but give an attacker file, attribute or call gadgets. */
const highModules = [
  ...['operator', 'functools', 'inspect', 'gc', 'types', 'threading', '_thread', 'signal', 'tempfile'],
  ...['pathlib', 'glob', 'zipfile', 'tarfile', 'sqlite3', 'mmap', 'pwd', 'grp', 'getpass', 'logging'],
  ...['yaml', 'joblib', 'torch.serialization', 'numpy.lib.npyio', 'ast', 'copy', 'weakref', 'select'],
];

const highGlobals = new Set([
  'torch.storage._load_from_bytes',
  'numpy.fromfile',
  'numpy.memmap',
  'builtins.type',
]);

/** Well-known ML libraries: their classes restore themselves with their own __setstate__, which we cannot see. */
/** Attribute names that, anywhere in a dotted name, reach a process, code or module loader. */
const criticalAttributes = new Set([
  ...['os', 'sys', 'subprocess', 'builtins', 'socket', 'pickle', 'marshal', 'importlib', 'ctypes', 'shutil'],
  ...['system', 'popen', 'spawn', 'execv', 'eval', 'exec', 'compile', 'getattr', 'setattr', 'open', 'loads'],
]);

const lowModules = ['sklearn', 'scipy', 'xgboost', 'lightgbm', 'catboost', 'statsmodels', 'torch.nn'];

// The names CPython's fix_imports maps for protocol 0–2 pickles written by Python 2.
const py2Modules: Record<string, string> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  exceptions: 'builtins',
};

const within = (name: string, prefixes: readonly string[]) =>
  prefixes.some((p) => name === p || name.startsWith(`${p}.`));

/**
 * How dangerous importing `module.name` from a pickle is. A dotted `name` (protocol 4+) walks attributes,
 * so from any module it can reach another one (`torch.os.system`): those are never safe unless listed.
 */
export function classifyGlobal(rawModule: string, name: string): GlobalVerdict {
  const module = py2Modules[rawModule] ?? rawModule;
  const full = `${module}.${name}`;
  if (safeGlobals.has(full)) return { severity: 'none', reason: 'on the allow list' };
  if (criticalGlobals.has(full))
    return { severity: 'critical', reason: 'runs code or loads files or pickles' };
  if (within(full, criticalModules) || within(module, criticalModules)) {
    return {
      severity: 'critical',
      reason: `imports from ${module.split('.')[0]}, which can run commands, code or I/O`,
    };
  }
  const parts = name.split('.');
  if (parts.some((p) => (p.startsWith('__') && p.endsWith('__')) || criticalAttributes.has(p))) {
    return {
      severity: 'critical',
      reason: 'reaches a dunder attribute, a module or a code-running function',
    };
  }
  if (parts.length > 1) return { severity: 'high', reason: 'walks nested attributes' };
  if (module === 'builtins') return { severity: 'high', reason: 'a builtin that is not on the allow list' };
  if (highGlobals.has(full) || within(module, highModules)) {
    return { severity: 'high', reason: 'gives access to files, attributes or indirect calls' };
  }
  if (within(module, lowModules)) return { severity: 'low', reason: 'a known ML library class' };
  return { severity: 'medium', reason: 'not on the allow list' };
}
