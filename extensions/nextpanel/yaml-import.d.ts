import type { Plugin } from 'vite';

export function yamlImport(): Plugin;
