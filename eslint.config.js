// ESLint for the whole repository: TypeScript everywhere, Vue single-file components in the
// bundle's app code. Formatting is Prettier's job (eslint-config-prettier turns off the rules
// that would disagree with it); `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['node_modules/', 'extensions/*/dist/', 'data/', 'test-results/', 'coverage/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	...vue.configs['flat/recommended'],
	{
		files: ['**/*.vue'],
		languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
	},
	{
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			// Directus's app registers its components globally (v-button, v-input, ...).
			'vue/no-undef-components': 'off',
			'vue/multi-word-component-names': 'off',
			'vue/require-default-prop': 'off',
		},
	},
	{
		// Tests read loosely typed JSON answers from a real Directus.
		files: ['**/*.test.ts', '**/test/**/*.ts', 'scripts/simulator/testing.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	prettier,
);
