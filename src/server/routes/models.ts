/**
 * GET /v1/models and GET /v1/models/:id: the one loaded model, in OpenAI's model object shape. The
 * alias "tessera" resolves to it too.
 */
import type { AppContext, TesseraApp } from '../app.ts';
import { ApiError } from '../errors.ts';
import type { ServedModel } from '../options.ts';

const startedAt = Math.floor(Date.now() / 1000);

const modelObject = (model: ServedModel) => ({ id: model.id, object: 'model', created: model.created ?? startedAt, owned_by: 'tessera' });

export function modelRoutes(app: TesseraApp, ctx: AppContext): void {
  app.get('/v1/models', async (c) => c.json({ object: 'list', data: [modelObject(await ctx.model())] }));

  app.get('/v1/models/:id', async (c) => {
    const model = await ctx.model();
    const id = c.req.param('id');
    if (id !== model.id && id !== 'tessera') throw ApiError.notFound(`The model '${id}' does not exist; this server has '${model.id}'.`, 'model_not_found');
    return c.json(modelObject(model));
  });
}
