import { joinText, type CanonicalRequest, type TaskClass } from '../core/index.js';

/** Only the start of a prompt is read: the cue words sit there, and a long document must not cost time. */
const MAX_CHARS = 4000;

/** Cue patterns per class with their weight; the class with the highest total wins, `chat` when nothing matches. */
const CUES: ReadonlyArray<[TaskClass, RegExp, number]> = [
  ['summarize', /\b(summari[sz]e|summary|summarise|tl;?dr|condense|recap|key (points|takeaways)|in (one|two|three|\d+) (sentences?|bullets?|lines?)|gist|shorten|brief overview)\b/gi, 3],
  ['extract', /\b(extract|pull out|list (all|every|each) (the )?|find all|parse|fields?|as json|into json|json with|entities|named entities|email addresses|phone numbers|dates mentioned|return (only )?the (names?|dates?|amounts?))\b/gi, 3],
  ['classify', /\b(classify|classification|categori[sz]e|category|label (this|the|each)|sentiment|positive,? (or |negative)|spam or|is this (spam|toxic|positive|negative)|which (one|category|class|intent)|intent|one of:|tag (this|each))\b/gi, 3],
  ['code', /```|\b(function|def |class |implement|refactor|bug|compile[sr]?|stack ?trace|exception|typescript|javascript|python|rust|golang|java\b|sql|regex|unit tests?|api endpoint|snippet|script|npm|git)\b|[{};]\s*$|=>|\bconst |\breturn /gim, 2],
  ['reasoning', /\b(prove|proof|step[- ]by[- ]step|reason (through|about)|how many|calculate|solve|puzzle|probability|logic(al)?|deduce|riddle|what is \d+|if .{1,60} then|trade-?offs?|derive|estimate)\b|\d+\s*[-+*/^×÷]\s*\d+/gi, 2],
  ['chat', /\b(hi|hello|hey|thanks|thank you|how are you|good (morning|evening)|tell me about yourself|what do you think|chat)\b/gi, 1],
];

function lastUserText(request: CanonicalRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === 'user') return joinText(message.content).slice(0, MAX_CHARS);
  }
  return '';
}

/**
 * Labels a request with a task class from cue words in its last user turn and its shape (a JSON schema response
 * suggests extraction, tools suggest code). A cheap heuristic: its accuracy on our labelled set is in docs/routing.md.
 */
export function classifyTask(request: CanonicalRequest): TaskClass {
  const text = lastUserText(request);
  const scores = new Map<TaskClass, number>();
  const add = (task: TaskClass, points: number): void => {
    scores.set(task, (scores.get(task) ?? 0) + points);
  };
  for (const [task, pattern, weight] of CUES) {
    const hits = text.match(pattern)?.length ?? 0;
    if (hits > 0) add(task, weight * Math.min(hits, 3));
  }
  if (request.responseFormat?.type === 'json-schema') add('extract', 2);
  if (request.reasoning?.enabled === true || (request.reasoning?.effort !== undefined && request.reasoning.effort !== 'minimal')) add('reasoning', 2);
  let best: TaskClass = 'chat';
  let bestScore = 0;
  for (const [task, score] of scores) {
    if (score > bestScore) {
      best = task;
      bestScore = score;
    }
  }
  return best;
}
