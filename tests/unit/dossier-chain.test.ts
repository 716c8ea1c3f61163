import { describe, expect, it } from 'vitest';
import { nextHolder, returnTargets, type Chain } from '../../api/modules/dossiers/dossiers.chain.ts';

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
