// The history mmutt models, as data: releases, rule changes, features and the names a trace
// prints by release. src/era/timeline.ts resolves it at a release; docs/timeline.md is
// generated from it (npm run docs).
import type { Timeline } from '../../src/contract/era.js';
import { FEATURES } from './features.js';
import { NEWEST, RELEASES } from './releases.js';
import { RULES } from './rules.js';
import { SIMPLIFICATIONS } from './simplifications.js';
import { WORDS } from './words.js';

const timeline: Timeline = { releases: RELEASES, newest: NEWEST, rules: RULES, features: FEATURES, words: WORDS, simplifications: SIMPLIFICATIONS };
export default timeline;
