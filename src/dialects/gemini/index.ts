export { geminiDialect } from './gemini-dialect.js';
