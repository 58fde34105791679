// import() of a module outside the bundle: an era module (eras/ as found on disk, an
// --era-file), esbuild. The command line runs as a classic script from V8's code cache
// (src/start.ts), where import() has no module to resolve from: its entry module lends its own.
export function importModule(specifier: string): Promise<unknown> {
  const lent = (globalThis as { mmuttImport?: (s: string) => Promise<unknown> }).mmuttImport;
  return lent ? lent(specifier) : import(specifier);
}
