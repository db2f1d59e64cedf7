import { defineFaultMatrix } from './define-fault-matrix.js';

defineFaultMatrix('non-stream');
