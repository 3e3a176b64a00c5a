// The python executor's defaults, apart from its process code: the CLI's --help shows them
// without loading the executor.

/** The hosted sandbox's limits (spec §5): 2 minutes, 2 GB. */
export const PYTHON_DEFAULTS = { timeoutSeconds: 120, memoryMb: 2048, outputFileMb: 1024 } as const;
