// antd imports `@rc-component/form` for its FormProvider in every input (form/context.js), so
// each page got the package's index, whose `RefForm.Field = Field; …` assignments are side
// effects a bundler must keep: the whole form engine with async-validator (~10 KB gzipped) came
// with the shop's header. This plugin answers that import with the same exports, built without
// side effects (re-exports, and `RefForm` built in one pure expression in a module of its own),
// so only what a page uses is bundled: the console's and the sign-in forms still get all of it.
import type { Plugin } from 'vite';

const BARREL = '\0rc-form-barrel';
const FORM = '\0rc-form-default';
const FORM_DIR = '/node_modules/@rc-component/form/es/';

// The package's es/index.js (@rc-component/form 1.x) as re-exports only, so a chunk gets just the
// modules it uses; its default export (`RefForm`, the form with its statics) is a module of its own.
const BARREL_CODE = `
export { default as Field } from '@rc-component/form/es/Field';
export { default as List } from '@rc-component/form/es/List';
export { default as useForm } from '@rc-component/form/es/hooks/useForm';
export { FormProvider } from '@rc-component/form/es/FormContext';
export { default as FieldContext } from '@rc-component/form/es/FieldContext';
export { default as ListContext } from '@rc-component/form/es/ListContext';
export { default as useWatch } from '@rc-component/form/es/hooks/useWatch';
export { default } from 'virtual:rc-form-default';
`;
const FORM_CODE = `
import * as React from 'react';
import Field from '@rc-component/form/es/Field';
import List from '@rc-component/form/es/List';
import useForm from '@rc-component/form/es/hooks/useForm';
import FieldForm from '@rc-component/form/es/Form';
import { FormProvider } from '@rc-component/form/es/FormContext';
import useWatch from '@rc-component/form/es/hooks/useWatch';
const RefForm = /*#__PURE__*/ Object.assign(/*#__PURE__*/ React.forwardRef(FieldForm), {
  FormProvider, Field, List, useForm, useWatch,
});
export default RefForm;
`;

export function rcFormBarrel(): Plugin {
  return {
    name: 'flashmart-rc-form-barrel',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source === '@rc-component/form') return { id: BARREL, moduleSideEffects: false };
      if (source === 'virtual:rc-form-default') return { id: FORM, moduleSideEffects: false };
      // The package's modules only define components, hooks and their own statics (its
      // package.json does not say so): a module is bundled where its exports are used, not
      // wherever the barrel is imported.
      const fromForm = source.startsWith('@rc-component/form/') || (!!importer?.includes(FORM_DIR) && source.startsWith('.'));
      if (!fromForm) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && resolved.id.includes(FORM_DIR) ? { ...resolved, moduleSideEffects: false } : resolved;
    },
    load(id) {
      if (id === BARREL) return BARREL_CODE;
      return id === FORM ? FORM_CODE : null;
    },
  };
}
