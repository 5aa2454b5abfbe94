import { defineModule } from '@directus/extensions-sdk';
import ModuleComponent from './module.vue';
import { strings } from './strings.ts';

export default defineModule({
	id: 'nextpanel',
	name: strings.name,
	icon: 'dns',
	routes: [{ path: '', component: ModuleComponent }],
	// Anyone with app access may open it; each section shows what their permissions allow.
	preRegisterCheck: (user) => Boolean(user),
});
