import { defineFaultMatrix } from './define-fault-matrix.js';

defineFaultMatrix('stream');
