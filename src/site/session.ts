// The page's session: the runner over the eras bundled with it (no files to find them in), and
// the scenario a view holds, for the page and its explorer alike.
import type { Scenario } from '../contract/scenario.js';
import { UserError } from '../errors.js';
import { Session } from '../runner/session.js';
import catalog from 'mmutt:catalog';
import bundled from 'mmutt:eras';

export const session = Session.ofModules(bundled.timeline, bundled.eras, bundled.proposals);
export { catalog };

/** A catalog scenario by name (its bundled text, or an edit of it if `text` is given), or a text of one's own. */
export function scenarioFrom(name: string | undefined, text: string): Scenario | string {
  try {
    return name !== undefined ? session.catalogFromText(name, text) : session.scenarioFromText('scenario.mmu', text);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}
