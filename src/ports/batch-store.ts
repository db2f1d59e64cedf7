/** A file uploaded for batch work (purpose `batch`), or one a finished job wrote (`batch_output`). */
export interface StoredFile {
  /** `file-…` */
  id: string;
  purpose: string;
  filename: string;
  bytes: number;
  /** Epoch ms. */
  createdAt: number;
  /** The virtual key that uploaded it (or whose job wrote it); others cannot read it. */
  keyId?: string;
}

/** Where a job stands; `paused` is Switchyard's own (cost cap or key budget reached). */
export type BatchStatus = 'validating' | 'in_progress' | 'paused' | 'finalizing' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'expired';

/** A job delegated to a provider's own batch API. */
export interface DelegatedJob {
  provider: string;
  model: string;
  providerJobId: string;
}

/** A batch job: what was asked, by whom, and where it stands. Line counts and cost come from its lines. */
export interface BatchJob {
  /** `batch_…` (OpenAI shape) or `msgbatch_…` (Anthropic shape). */
  id: string;
  format: 'openai' | 'anthropic';
  /** The endpoint every line calls: `/v1/chat/completions`, `/v1/embeddings`, `/v1/responses` or `/v1/messages`. */
  endpoint: string;
  inputFileId?: string;
  completionWindow: string;
  status: BatchStatus;
  keyId?: string;
  metadata: Record<string, string>;
  /** Epoch ms of each transition that happened. */
  createdAt: number;
  expiresAt: number;
  inProgressAt?: number;
  finalizingAt?: number;
  completedAt?: number;
  failedAt?: number;
  cancellingAt?: number;
  cancelledAt?: number;
  expiredAt?: number;
  outputFileId?: string;
  errorFileId?: string;
  /** Stop (pause) once the job's cost reaches this, in US dollars. */
  costCapUsd?: number;
  pausedReason?: string;
  /** Hand the job to a target provider's batch API when its alias allows it. */
  delegate: boolean;
  delegated?: DelegatedJob;
}

export type LineState = 'pending' | 'running' | 'done' | 'failed';

/** One line of a job: its request (absent when the line was malformed) and, once run, its result line. */
export interface BatchLine {
  jobId: string;
  index: number;
  customId: string;
  state: LineState;
  /** `{ method, url, body }` as the client wrote it. */
  request?: { method: string; url: string; body: unknown };
  /** The finished line's entry in the output or error file, in the job's format. */
  result?: unknown;
  /** How many times the line was started. */
  tries: number;
  costUsd?: number;
}

/** One line of one job. */
export interface LineRef {
  jobId: string;
  index: number;
}

/** Line counts and spend of a job, from its lines. */
export interface BatchProgress {
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
  costUsd: number;
  /** Epoch ms of the first and the latest finished line, for an ETA. */
  firstFinishedAt?: number;
  lastFinishedAt?: number;
}

/** Files for batch work: stored whole, read back whole. */
export interface BatchFileStore {
  saveFile(file: StoredFile, content: Buffer): Promise<void>;
  getFile(id: string): Promise<StoredFile | undefined>;
  fileContent(id: string): Promise<Buffer | undefined>;
  /** Newest first, after the file id `after` when given. */
  listFiles(options: { purpose?: string; keyId?: string; after?: string; limit: number }): Promise<StoredFile[]>;
  deleteFile(id: string): Promise<boolean>;
}

/** Jobs and their lines, durable; the runner's claims on lines are leases that another replica may take over once expired. */
export interface BatchJobStore {
  /** Stores a new job with all its lines, in one transaction. */
  createJob(job: BatchJob, lines: readonly BatchLine[]): Promise<void>;
  getJob(id: string): Promise<BatchJob | undefined>;
  /** Newest first, after the job id `after` when given; `statuses` filters. */
  listJobs(options: { format?: BatchJob['format']; keyId?: string; after?: string; limit: number; statuses?: readonly BatchStatus[] }): Promise<BatchJob[]>;
  /** Applies `changes` when the job's status is one of `from` (any when absent); false when it was not. */
  updateJob(id: string, changes: Partial<Omit<BatchJob, 'id'>>, from?: readonly BatchStatus[]): Promise<boolean>;
  progress(jobId: string): Promise<BatchProgress>;
  /**
   * Claims up to `limit` lines of the job that are pending, or running under an expired lease, for `owner` until
   * `leaseUntil` (and starts a try on each); `indexes` restricts the claim to those lines.
   */
  claimLines(jobId: string, claim: { owner: string; now: number; leaseUntil: number; limit: number; indexes?: readonly number[] }): Promise<BatchLine[]>;
  /**
   * Ends a line `done` or `failed` with its result line and cost, only if it is not finished yet (the first writer
   * wins); `pending` gives it back unfinished. Returns whether this call changed it.
   */
  finishLine(jobId: string, index: number, outcome: { state: LineState; result?: unknown; costUsd?: number; at: number }): Promise<boolean>;
  lineAt(jobId: string, index: number): Promise<BatchLine | undefined>;
  /** Finished lines in index order, from `fromIndex` on, at most `limit`. */
  finishedLines(jobId: string, fromIndex: number, limit: number): Promise<BatchLine[]>;
  /**
   * Extends to `leaseUntil` the leases `owner` still holds on these lines (the heartbeat of lines it is running);
   * returns how many it still held.
   */
  renewLeases(owner: string, lines: readonly LineRef[], leaseUntil: number): Promise<number>;
  /** Indexes of the job's running lines whose lease ended before `now` (their runner stopped renewing it), at most `limit`. */
  expiredLines(jobId: string, now: number, limit: number): Promise<number[]>;
  /** Makes running lines whose owner `isGone` claimable at once (their process ended). */
  releaseOrphans(isGone: (owner: string) => boolean): Promise<number>;
}
