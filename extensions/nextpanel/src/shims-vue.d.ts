// Lets tsc type-check the .ts entry files; the .vue components themselves are compiled and
// checked by the extensions SDK build.
declare module '*.vue' {
	import type { DefineComponent } from 'vue';
	const component: DefineComponent<object, object, unknown>;
	export default component;
}
