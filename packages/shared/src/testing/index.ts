export {};
export { runStoreContract } from '../store/contract-suite.js';
