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
		// The bundle's ground floor: shared/ is imported by the API and by the app alike, so it
		// imports nothing from the folders above it (type imports included).
		files: ['extensions/nextpanel/src/shared/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(\\.\\./)+(core|hooks|endpoint|operations|interfaces|module|panels|displays)(/|$)',
							message: 'shared/ is the bottom layer: it may not import from the folders above it. Move what both need into shared/.',
						},
					],
				},
			],
		},
	},
	{
		// App code runs in the browser: server code (core/, hooks/, endpoint/, the operations'
		// api.ts and their server-side helpers) must not end up in the app bundle, types included.
		files: [
			'extensions/nextpanel/src/interfaces/**',
			'extensions/nextpanel/src/module/**',
			'extensions/nextpanel/src/panels/**',
			'extensions/nextpanel/src/displays/**',
			'extensions/nextpanel/src/operations/*/app.ts',
			'extensions/nextpanel/src/operations/shared-app.ts',
		],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(\\.\\./)+(core|hooks|endpoint)(/|$)',
							message: 'App code may not import server code (core/, hooks/, endpoint/). Import the shape from shared/ instead.',
						},
						{
							regex: '(^|/)(api|shared-api|lifecycle-operation)(\\.ts)?$',
							message: "App code may not import an operation's API side. Share what both sides need through shared/ or shared-app.ts.",
						},
					],
				},
			],
		},
	},
	{
		// Tests read loosely typed JSON answers from a real Directus.
		files: ['**/*.test.ts', '**/test/**/*.ts', 'scripts/simulator/testing.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	prettier,
);
