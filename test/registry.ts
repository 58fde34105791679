// The era registry the tests share: every era module in eras/ and eras/proposals/, found by
// file as the CLI finds them. Tests never hard-code how many eras there are.
import { EraRegistry } from '../src/era/registry.js';

export const registry = await EraRegistry.discover();
export const ERAS = registry.released;
export const PROPOSALS = registry.proposals;
export const getEra = (id: string) => registry.get(id);
