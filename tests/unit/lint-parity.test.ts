import BpmnModdle from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import recommended from 'bpmnlint/config/recommended';
import { configs, LINT_RULE_LABELS, problemRule, rules } from 'bpmnlint-plugin-zcps';
import { describe, expect, it } from 'vitest';
import { editorLintConfig } from '../../admin-ui/src/bpmn/lint.ts';
import { compileDefinition } from '../../engine/compile.ts';
import { DeployError, type DeployProblem } from '../../engine/errors.ts';
import { zcpsModdle } from '../../engine/moddle-extension.ts';
import { caseXml, LINT_CASES, LINT_INSTALLATION, SERVER_ONLY_RULES, UNKNOWN_KEYS_CASE } from '../fixtures/lint-cases.ts';

/** A problem as both sides can state it: severity, element, rule (as deploy names it) and message. */
type Stated = string;
const state = (p: Pick<DeployProblem, 'severity' | 'elementId' | 'rule' | 'message'>): Stated => `${p.severity} ${p.elementId} ${p.rule} ${p.message}`;

async function deployProblems(xml: string): Promise<DeployProblem[]> {
  try {
    const compiled = await compileDefinition(xml, {
      handlers: new Set(LINT_INSTALLATION.handlers),
      formKeys: new Set(LINT_INSTALLATION.formKeys),
      deployedKeys: new Set(LINT_INSTALLATION.deployedKeys),
    });
    return compiled.warnings;
  } catch (err) {
    if (!(err instanceof DeployError)) throw err;
    return err.problems;
  }
}

/** What bpmn-js-bpmnlint shows: the console's own lint config, over the diagram read with the moddle descriptor the API publishes. */
async function editorProblems(xml: string): Promise<Stated[]> {
  const { rootElement } = await new BpmnModdle({ zcps: zcpsModdle }).fromXML(xml);
  const results = await new Linter(editorLintConfig(LINT_INSTALLATION)).lint(rootElement);
  return Object.entries(results)
    .flatMap(([name, reports]) =>
      reports.map((r) => state({ severity: r.category === 'warn' ? 'warning' : (r.category as 'error'), elementId: r.id ?? null, rule: problemRule(name), message: r.message })),
    )
    .sort();
}

const errorsOf = (problems: DeployProblem[]) =>
  problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.elementId} ${p.rule}`)
    .sort();

describe('deploy and the flow editor judge a diagram with one rule set', () => {
  for (const c of LINT_CASES.filter((c) => c.where === 'both')) {
    it(`${c.name}: the editor shows what deploy refuses, worded alike`, async () => {
      // given a diagram with this problem
      const xml = await caseXml(c);

      // when deploy checks it and the editor lints it
      const deployed = await deployProblems(xml);
      const shown = await editorProblems(xml);

      // then deploy refuses it for exactly this problem, in Chinese
      expect(errorsOf(deployed)).toEqual([...c.expected].sort());
      expect(deployed.every((p) => /[\u4e00-\u9fa5]/.test(p.message))).toBe(true);
      // and the editor shows every problem deploy gives (errors and warnings) but what only a server can judge
      expect(shown).toEqual(deployed.filter((p) => !(p.rule in SERVER_ONLY_RULES)).map(state).sort());
    });
  }

  for (const c of LINT_CASES.filter((c) => c.where === 'server')) {
    it(`${c.name}: only deploy can judge it`, async () => {
      // given a diagram the editor could not even hold
      const xml = await caseXml(c);

      // when deploy checks it
      const deployed = await deployProblems(xml);

      // then it is refused by a check listed as the server's
      expect(errorsOf(deployed)).toEqual([...c.expected].sort());
      for (const p of deployed) expect(Object.keys(SERVER_ONLY_RULES)).toContain(p.rule);
    });
  }

  it('has a case for every rule of the plugin and every check only the server makes', () => {
    // given the rules the cases make deploy refuse
    const covered = new Set(LINT_CASES.flatMap((c) => c.expected.map((e) => e.split(' ')[1])));

    // then each of the plugin's rules is among them, and each server-only check (but a crashing checker)
    for (const rule of Object.keys(rules)) expect(covered, `zcps/${rule}`).toContain(rule);
    for (const rule of Object.keys(SERVER_ONLY_RULES).filter((r) => r !== 'lint')) expect(covered, rule).toContain(rule);
  });

  it('refuses with every rule of the plugin and reports bpmnlint’s recommended rules under Chinese labels', () => {
    // given the plugin's one config
    const own = configs.all.rules;

    // then each zcps rule refuses a deploy, and every recommended rule has a label and today's severity
    for (const rule of Object.keys(rules)) expect(own[`zcps/${rule}`]).toBe('error');
    for (const rule of Object.keys(recommended.rules)) expect(LINT_RULE_LABELS[rule], rule).toMatch(/[\u4e00-\u9fa5]/);
    expect(own['bpmnlint/label-required']).toBe('warn');
    expect(own['bpmnlint/no-inclusive-gateway']).toBe('off');
  });

  it('skips the checks whose keys the installation does not give, on both sides', async () => {
    // given a diagram naming a form, a handler and a called flow nobody knows
    const xml = await caseXml(UNKNOWN_KEYS_CASE);

    // when deploy and the editor are told nothing about the installation
    let refused: DeployProblem[] = [];
    await compileDefinition(xml, { handlers: null, formKeys: null, deployedKeys: null }).catch((err: DeployError) => (refused = err.problems));
    const { rootElement } = await new BpmnModdle({ zcps: zcpsModdle }).fromXML(xml);
    const shown = await new Linter(editorLintConfig(null)).lint(rootElement);

    // then neither refuses what it cannot know (the same diagram with the installation is a case above)
    expect(refused).toEqual([]);
    expect(shown).toEqual({});
  });
});
