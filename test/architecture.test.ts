// The house keeps its shape (docs/engine.md, "The house"): the imports of every source file,
// read from the text, may only run along the arrows the design allows. The report reads the
// output contract and runs nothing; the engine names no era, registry, scenario module or
// report; orchestration lives with the runner; no module imports itself around a circle. The
// table of rooms in docs/engine.md says what ALLOWED says.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/** The room a file belongs to: a folder of src/, a top-level file of src/, or the era modules. */
function roomOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  if (parts[0] === 'eras') return 'eras';
  return parts.length === 2 ? parts[1]!.replace(/\.ts$/, '') : parts[1]!;
}

/** Who may import whom. A room not listed as a key imports nothing outside itself. */
const ALLOWED: Record<string, string[]> = {
  contract: [],
  errors: ['contract'],
  input: ['errors'],
  version: [],
  scenario: ['contract', 'errors', 'input'],
  era: ['contract', 'errors', 'input'],
  eras: ['era', 'contract'],
  engine: ['contract'],
  // KVM, a secondary MMU on the notifier chain: the engine asks it through SecondaryMmu and never names it.
  kvm: ['engine', 'contract'],
  // An IOMMU with devices bound to processes (SVA), the second registrant: a room beside KVM's, never importing it.
  iommu: ['engine', 'contract'],
  explore: ['engine', 'contract', 'errors'],
  export: ['engine', 'contract'],
  runner: ['engine', 'kvm', 'iommu', 'explore', 'export', 'era', 'scenario', 'contract', 'errors', 'input'],
  report: ['contract', 'version'],
  // The CLI parses options and hands them over: the runner loads scenarios and eras and runs
  // them; the reports print what comes back.
  cli: ['contract', 'runner', 'report', 'errors', 'version', 'exit'],
  // The command line's entry (dist/cli.js): it runs the CLI's bundle, and answers --version.
  start: ['version', 'exit'],
  exit: [],
  index: ['contract', 'runner', 'report', 'errors', 'version'],
  // The time-travel page, like the CLI: it hands the view to the runner and draws what the reports draw.
  site: ['contract', 'runner', 'report', 'errors'],
};

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative imports a source text makes, in every form: `import ... from`, `export ... from`, `import '...'`, `import('...')`, either quote. */
function importsIn(text: string): { path: string; typeOnly: boolean }[] {
  return [
    ...[...text.matchAll(/^(import|export)( type)?[^;]*?from\s+(['"])(\.[^'"]+)\3/gms)].map((m) => ({ path: m[4]!, typeOnly: m[2] !== undefined })),
    // import './x.js': a module run for its effects is an arrow too.
    ...[...text.matchAll(/^import\s+(['"])(\.[^'"]+)\1/gm)].map((m) => ({ path: m[2]!, typeOnly: false })),
    // import('./x.js'): a module loaded when a command needs it is an arrow all the same.
    ...[...text.matchAll(/\bimport\(\s*(['"])(\.[^'"]+)\1\s*\)/g)].map((m) => ({ path: m[2]!, typeOnly: false })),
  ];
}

const imports: Import[] = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'eras'))].flatMap((file) =>
  importsIn(readFileSync(file, 'utf8')).map((m) => ({
    from: file,
    to: resolve(dirname(file), m.path).replace(/\.js$/, '.ts'),
    typeOnly: m.typeOnly,
  })),
);

describe('the import reader', () => {
  it('finds every form of import, either quote', () => {
    const text = [
      "import { a } from './a.js';",
      'import type { B } from "./b.js";',
      "export { c } from '../c.js';",
      "import './d.js';",
      'import "./e.js";',
      "const f = await import('./f.js');",
      'const g = await import( "./g.js" );',
      "import { h } from 'node:fs';",
    ].join('\n');
    expect(importsIn(text).map((i) => `${i.path}${i.typeOnly ? ' (type)' : ''}`).sort()).toEqual(['../c.js', './a.js', './b.js (type)', './d.js', './e.js', './f.js', './g.js']);
  });
});

describe('the house', () => {
  it(`${imports.length} imports, each along an allowed arrow between rooms`, () => {
    const bad = imports.filter((i) => roomOf(i.from) !== roomOf(i.to) && !(ALLOWED[roomOf(i.from)] ?? []).includes(roomOf(i.to)));
    expect(bad.map((i) => `${relative(ROOT, i.from)} -> ${relative(ROOT, i.to)}`)).toEqual([]);
  });

  it('no module reaches itself again by the imports that run code (import type cycles are harmless)', () => {
    const edges = new Map<string, string[]>();
    for (const i of imports) if (!i.typeOnly) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((x) => relative(ROOT, x)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of edges.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("docs/engine.md's table of rooms allows the arrows ALLOWED allows, no more and no fewer", () => {
    const doc = readFileSync(join(ROOT, 'docs', 'engine.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## The house'), doc.indexOf('The arrows point one way'));
    const documented: Record<string, string[]> = {};
    for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
      const [, who, , may] = row.split('|').map((c) => c.trim());
      const rooms = [...who!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/^src\//, '').replace(/(\/|\.ts)$/, ''));
      const parse = (list: string) =>
        list === 'nothing' ? [] : list === 'everything in `src/`' ? Object.keys(ALLOWED).filter((r) => r !== 'eras' && !rooms.includes(r)) : list.split(', ');
      // A remark in parentheses is prose; "errors: contract; input: errors" gives each room of the row its own list.
      const text = may!.replace(/\s*\([^)]*\)/g, '');
      if (text.includes(': ')) {
        for (const part of text.split('; ')) {
          const [room, list] = part.split(': ');
          documented[room!] = parse(list!);
        }
      } else for (const room of rooms) documented[room] = parse(text);
    }
    const sorted = (t: Record<string, string[]>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(documented)).toEqual(sorted(ALLOWED));
  });

  it('the engine reads era rules only through its accessor (Emit.rule / Emit.ruleRead), made in compile.ts', () => {
    const offenders = [...sources(join(ROOT, 'src', 'engine')), ...sources(join(ROOT, 'src', 'kvm')), ...sources(join(ROOT, 'src', 'iommu'))]
      .filter((f) => !f.endsWith('compile.ts'))
      // Indexing a rule set (`rules['kvm.fault.retry']`), or taking `rules` from an Emit or a machine.
      .filter((f) => /\brules\s*\[|\b(e|m|machine)\.rules\b|\{[^}]*\brules\b[^}]*\}\s*=\s*e\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("the generic engine's code names none of KVM's or the IOMMU's state: a secondary MMU brings its own (engine/secondary.ts)", () => {
    // KVM's and the IOMMU's state and their machines' options, as src/kvm/ and src/iommu/ name
    // them; comments may speak of them.
    const KVM = /\b(SPTE|TLB|kvmOf|GfnSlot|gfns|mmuLock|eptAd|tdp|vmProc|kvmMmuNotifier|ATC|iommuOf|DeviceSlot|emptyTable|iommuMmuNotifier)\b/;
    const named = sources(join(ROOT, 'src', 'engine')).flatMap((f) => {
      const code = readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
      const m = KVM.exec(code);
      return m ? [`${relative(ROOT, f)}: ${m[0]}`] : [];
    });
    expect(named).toEqual([]);
  });
});
