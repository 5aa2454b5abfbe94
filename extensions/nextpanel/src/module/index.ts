import { defineModule } from '@directus/extensions-sdk';
import ModuleComponent from './module.vue';

export default defineModule({
	id: 'nextpanel',
	name: 'NextPanel',
	icon: 'dns',
	routes: [{ path: '', component: ModuleComponent }],
	preRegisterCheck: (user) => Boolean(user),
});
