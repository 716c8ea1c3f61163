export { createEngine, defaultAuthorize, WorkflowEngine } from './engine.ts';
export type { CancelInput, CancelResult, CompleteInput, CompleteResult, DeployResult, EngineOptions, InstanceView, PrefetchedTask, StartInput, TaskWitness } from './engine.ts';
export * from './errors.ts';
export * from './types.ts';
export { compileDefinition, contentHash, moddleOptions } from './compile.ts';
export { zcpsModdle, ZCPS_NS } from './moddle-extension.ts';
export { smqpPatched } from './smqp-patch.ts';
export { availableOptions, ChoiceRefusal, type AvailableChoice, type ChoiceOption } from './choices.ts';
export { addDuration, formatDueAmount, parseDueAmount, mondayToFriday, DUE_UNIT_WORDS, type DueAmount, type DueUnit, type WorkingDayCalendar } from './durations.ts';
