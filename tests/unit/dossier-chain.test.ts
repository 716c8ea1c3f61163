import { describe, expect, it } from 'vitest';
import { nextHolder, returnTargets, type Chain } from '../../api/modules/dossiers/dossiers.chain.ts';
import { createDossierHandlers } from '../../api/modules/dossiers/dossiers.handlers.ts';

const full: Chain = { employer: 1, department: 2, bureau: 3, committee: 4 };
const short: Chain = { employer: 1, department: null, bureau: 3, committee: 4 };

describe('the review chain', () => {
  it('lets a level return to the applicant or a unit of the chain below it', () => {
    expect(returnTargets(full, 'employer')).toEqual(['applicant']);
    expect(returnTargets(full, 'department')).toEqual(['applicant', 'employer']);
    expect(returnTargets(full, 'bureau')).toEqual(['applicant', 'employer', 'department']);
    expect(returnTargets(full, 'committee')).toEqual(['applicant', 'employer', 'department', 'bureau']);
  });

  it('skips a level the dossier does not pass through', () => {
    expect(returnTargets(short, 'committee')).toEqual(['applicant', 'employer', 'bureau']);
    expect(nextHolder(short, 'employer')).toEqual({ level: 'bureau', unitId: 3 });
    expect(nextHolder({ ...short, bureau: null }, 'employer')).toEqual({ level: 'committee', unitId: 4 });
    expect(nextHolder(full, 'bureau')).toEqual({ level: 'committee', unitId: 4 });
  });
});

describe('登记办理结果并确定下一步 (dossier.decided)', () => {
  const decided = createDossierHandlers({} as never, {} as never)['dossier.decided']!;
  const run = (variables: Record<string, unknown>) =>
    decided({ input: {}, trx: {} as never, instanceId: 'i', rootInstanceId: 'i', processKey: 'dossier-review', businessKey: null, elementId: 'decide', variables, clock: { now: () => new Date() } });

  it('sends the employer’s passing posts on to its materials, with no database work', async () => {
    await expect(run({ route: 'employer', hasPosts: true, action: 'return', review: { action: 'pass' }, dossierId: 1 })).resolves.toEqual({ route: 'employer_materials', hasPosts: false });
  });

  it('stops the case with an incident rather than guess, on an outcome it does not know', async () => {
    await expect(run({ action: 'pass', dossierId: 1 })).rejects.toThrow('申报人提交步骤的办理结果“pass”无效');
    await expect(run({ route: 'department', hasPosts: false, action: 'approve', dossierId: 1 })).rejects.toThrow('办理结果“approve”无效');
    // through posts, the deciding post's action counts, not a single review's left from before
    await expect(run({ route: 'bureau', hasPosts: true, action: 'pass', review: { action: 'skip' }, dossierId: 1 })).rejects.toThrow('办理结果“skip”无效');
    await expect(run({ route: 'province', hasPosts: false, action: 'pass', dossierId: 1 })).rejects.toThrow('route 的值“province”无效');
  });
});
