/**
 * POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart: `image` or one `image[]`,
 * optional `mask`, and the generation fields as form fields). Both validate everything, images
 * included, before queueing, so a bad request never holds a slot.
 */
import type { Context } from 'hono';
import type { AppContext, TesseraApp } from '../app.ts';
import { EngineError } from '../../engine/index.ts';
import { readUtf8 } from '../body.ts';
import { ApiError } from '../errors.ts';
import { readImageInput } from '../image-input.ts';
import { checkSupported, editParams, generationParams, parseParams } from '../params.ts';
import { respondWithImages } from '../respond.ts';

async function readJson(c: Context): Promise<unknown> {
  const text = await readUtf8(c);
  try {
    return JSON.parse(text);
  } catch {
    throw ApiError.invalid('We could not parse the JSON body of your request. Send a JSON object with Content-Type: application/json.', null, 'invalid_json');
  }
}

async function readForm(c: Context): Promise<FormData> {
  try {
    return await c.req.formData();
  } catch {
    throw ApiError.invalid('We could not parse the multipart form of your request. Send the image as multipart/form-data.', null, 'invalid_form');
  }
}

/** The form split into its files and its fields; files anywhere else are errors. */
function splitForm(form: FormData): { images: File[]; mask?: File; fields: Record<string, string> } {
  const images: File[] = [];
  let mask: File | undefined;
  // No prototype: a field named __proto__ must be an unknown parameter (400), not a silent no-op.
  const fields: Record<string, string> = Object.create(null);
  form.forEach((value, key) => {
    if (key === 'image' || key === 'image[]' || key === 'mask') {
      if (typeof value === 'string') throw ApiError.invalid(`'${key}' must be an uploaded file, not a text field.`, key);
      if (key === 'mask') mask = value;
      else images.push(value);
    } else if (typeof value !== 'string') {
      throw ApiError.invalid(`Unexpected file in '${key}': only image, image[] and mask take files.`, key);
    } else {
      fields[key] = value;
    }
  });
  return { images, ...(mask ? { mask } : {}), fields };
}

export function imageRoutes(app: TesseraApp, ctx: AppContext): void {
  app.post('/v1/images/generations', async (c) => {
    const params = parseParams(generationParams, await readJson(c));
    const model = await ctx.model();
    checkSupported(params, model);
    return respondWithImages(c, model, ctx.queue, { params }, 'image_generation');
  });

  app.post('/v1/images/edits', async (c) => {
    const { images, mask, fields } = splitForm(await readForm(c));
    const params = parseParams(editParams, fields);
    if (images.length === 0) throw ApiError.invalid("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
    if (images.length > 1) throw ApiError.invalid(`Tessera edits one image per request; got ${images.length}.`, 'image');
    const model = await ctx.model();
    checkSupported(params, model);
    const read = async (file: File, kind: 'image' | 'mask') => {
      try {
        return await readImageInput(new Uint8Array(await file.arrayBuffer()), { kind, size: model.imageSize, maxPixels: ctx.limits.maxImagePixels, name: `'${kind}' (${file.name || 'upload'})` });
      } catch (error) {
        if (error instanceof EngineError) throw ApiError.invalid(`Invalid image: ${error.message}.`, kind, 'invalid_image');
        throw error;
      }
    };
    const source = await read(images[0], 'image');
    const job = { params, source, ...(mask ? { mask: await read(mask, 'mask') } : {}) };
    return respondWithImages(c, model, ctx.queue, job, 'image_edit');
  });
}
