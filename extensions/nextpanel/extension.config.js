import { yamlImport } from './yaml-import.js';

export default { plugins: [yamlImport()] };
