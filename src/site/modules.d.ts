// The modules build/site.mjs makes for the site's bundle: the catalog's texts, and the era
// modules as the registry would find them by file (eras/, eras/proposals/, the timeline).
declare module 'mmutt:catalog' {
  const catalog: { name: string; text: string }[];
  export default catalog;
}
declare module 'mmutt:eras' {
  const eras: { timeline: import('../contract/era.js').Timeline; eras: import('../contract/era.js').Era[]; proposals: import('../contract/era.js').Era[] };
  export default eras;
}
