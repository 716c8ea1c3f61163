import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '../../engine/compile.ts';
import { PROCESSES_DIR } from '../helpers/app.ts';

/**
 * Every shipped diagram opens in the flow editor without a warning: a warning there (an implicit
 * join, a label on a flow that decides nothing) is something an administrator reading the
 * diagram has to puzzle over. Deploy refuses errors; this keeps the warnings out too.
 */
describe('the shipped diagrams', () => {
  const files = fs.readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.bpmn'));

  it('are all there', () => {
    expect(files).toContain('dossier-review.bpmn');
  });

  it.each(files)('%s lints without warnings', async (file) => {
    const compiled = await compileDefinition(fs.readFileSync(path.join(PROCESSES_DIR, file), 'utf8'), { handlers: null, formKeys: null, deployedKeys: null });
    expect(compiled.warnings.map((w) => `${w.elementId}: ${w.message}`)).toEqual([]);
  });
});
