// Types for the parts of bpmnlint the plugin imports by path; bpmnlint declares none for them.
declare module 'bpmnlint/lib/resolver/static-resolver' {
  const StaticResolver: new (cache: Record<string, unknown>) => {
    resolveRule(pkg: string, ruleName: string): unknown;
    resolveConfig(pkg: string, configName: string): unknown;
  };
  export default StaticResolver;
}
declare module 'bpmnlint/config/recommended' {
  const config: { rules: Record<string, string> };
  export default config;
}
declare module 'bpmnlint/rules/*' {
  const rule: (config?: unknown) => unknown;
  export default rule;
}
declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    category: 'error' | 'warn' | 'info' | 'rule-error';
  }
  export class Linter {
    constructor(options: { config: unknown; resolver: unknown });
    /** reports by rule name (`label-required`, `zcps/user-task-form`) */
    lint(root: unknown): Promise<Record<string, LintReport[]>>;
  }
}
