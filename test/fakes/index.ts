export { startFakeUpstream } from './start-fake-upstream.js';
export type {
  CustomScript,
  ErrorAfterStartScript,
  ErrorScript,
  FakeFormat,
  FakeUpstream,
  FakeUpstreamOptions,
  FloodScript,
  RecordedRequest,
  ResetMidBodyScript,
  Script,
  ScriptToolCall,
  ScriptUsage,
  StallAfterScript,
  TextScript,
  ToolCallsScript,
  TruncatedSseScript,
} from './fake-types.js';
