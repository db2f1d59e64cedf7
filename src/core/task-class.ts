/** The task classes requests are routed by: from `metadata.task`, `x-switchyard-task` or the built-in classifier. */
export const TASK_CLASSES = ['classify', 'summarize', 'extract', 'chat', 'code', 'reasoning'] as const;

export type TaskClass = (typeof TASK_CLASSES)[number];

/** Whether a string names one of the task classes. */
export function isTaskClass(value: string): value is TaskClass {
  return (TASK_CLASSES as readonly string[]).includes(value);
}
