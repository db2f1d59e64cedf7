/** A setting that could not be honoured exactly; logged, exposed in `x-switchyard-warnings`, never silent. */
export interface Warning {
  /** Stable snake_case code, e.g. `parameter_dropped`, `parameter_defaulted`, `parameter_translated`. */
  code: string;
  /** The request field concerned, in the client's naming where known (e.g. `temperature`). */
  param?: string;
  message: string;
}

/** Builds a warning for a parameter the target cannot honour and that was dropped. */
export function droppedParameter(param: string, target: string, why: string): Warning {
  return { code: 'parameter_dropped', param, message: `${param} dropped for ${target}: ${why}` };
}
