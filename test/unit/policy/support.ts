export { HOUSING, WHOLESALE } from '../../../functions/domain/policy/index.js';
export type ValidationErrorLike = { fields: { field: string; message: string }[] };
