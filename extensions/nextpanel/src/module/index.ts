import { defineModule } from '@directus/extensions-sdk';
import ModuleComponent from './module.vue';
import ServerView from './server-view.vue';
import { strings } from './strings.ts';
import './styles/data-table.css';
import './styles/sections.css';

export default defineModule({
	id: 'nextpanel',
	name: strings.name,
	icon: 'dns',
	routes: [
		{ path: '', component: ModuleComponent },
		{ path: 'servers/:id', component: ServerView, props: true },
	],
	// Anyone with app access may open it; each section shows what their permissions allow.
	preRegisterCheck: (user) => Boolean(user),
});
