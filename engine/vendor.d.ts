// Minimal types for packages that ship none.
declare module 'bpmn-moddle' {
  export interface ModdleWarning {
    message: string;
    element?: { id?: string; $type?: string };
    property?: string;
    error?: Error;
  }
  export interface FromXmlResult {
    rootElement: unknown;
    references: unknown[];
    warnings: ModdleWarning[];
    elementsById: Record<string, unknown>;
  }
  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): unknown;
  }
}

declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
