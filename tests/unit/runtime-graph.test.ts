import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSourceContext } from '../../engine/compile.ts';
import { elidedJoinsOf } from '../../engine/runtime-graph.ts';
import { PROCESSES_DIR } from '../helpers/app.ts';

interface Context {
  getActivities(): Array<{ id: string }>;
  getSequenceFlows(): Array<{ id: string; targetId: string }>;
}

describe('the graph the engine runs', () => {
  it('leaves out the dossier flow’s pure joins and sends their flows on to what follows', async () => {
    // given the dossier flow as drawn
    const context = (await loadSourceContext(fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8'))) as unknown as Context;
    const activities = new Set(context.getActivities().map((a) => a.id));
    const flows = new Map(context.getSequenceFlows().map((f) => [f.id, f.targetId]));

    // then the joins are gone, the splits and the choices stay
    for (const join of ['gw_submitted', 'gw_employer_in', 'gw_employer_done', 'gw_superior_in', 'gw_department_in', 'gw_department_done', 'gw_bureau_in', 'gw_committee_in', 'gw_to_applicant', 'gw_reject', 'gw_return_employer']) {
      expect(activities.has(join), join).toBe(false);
    }
    for (const kept of ['gw_employer_route', 'gw_department_result', 'gw_bureau_return', 'gw_committee_result', 'department_review']) expect(activities.has(kept), kept).toBe(true);
    // a pass at the employer goes straight to the 上级单位's 审核方式, and its join's flow is recorded with it;
    // the 上级单位's pass goes on to the department's
    expect(flows.get('f_employer_passed')).toBe('gw_superior_route');
    expect(flows.get('f_superior_passed')).toBe('gw_department_route');
    expect(flows.get('f_unit_review_done')).toBe('gw_employer_result');
    expect(flows.has('f_department_enter')).toBe(false);
    expect(elidedJoinsOf(context).get('f_employer_passed')).toEqual(['gw_superior_in', 'f_superior_enter']);
    expect(elidedJoinsOf(context).get('f_superior_passed')).toEqual(['gw_department_in', 'f_department_enter']);
    // a return to the employer passes the join of every level's returns there
    expect(elidedJoinsOf(context).get('f_department_return_employer')).toEqual(['gw_return_employer', 'f_return_employer']);
    expect(flows.get('f_employer_returned')).toBe('gw_employer_route');
  });
});
