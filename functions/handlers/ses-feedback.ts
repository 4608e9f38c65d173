// placeholder until the handler lands
// (written by the infra work so `cdk synth` can bundle every function; the owner replaces this file)
export const handler = async (): Promise<never> => {
  throw new Error('functions/handlers/ses-feedback.ts is a placeholder: the real handler has not landed yet');
};
