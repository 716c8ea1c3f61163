/**
 * bpmnlint in the editor: the rules deploy applies (bpmnlint-plugin-zcps, `plugin:zcps/all`), told
 * what the server knows (GET /api/process-definitions/lint-options), so the canvas shows every
 * problem 部署 would refuse, worded as the refusal words it.
 */
import { createLintConfig, type Installation } from 'bpmnlint-plugin-zcps';

/** What GET /api/process-definitions/lint-options answers; null fields (or no answer) skip those checks. */
export type LintOptions = Installation;

/** The `linting.bpmnlint` option of the modeler. */
export function editorLintConfig(options: LintOptions | null) {
  return createLintConfig(options);
}
