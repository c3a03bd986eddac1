import type { CombinedError } from '@urql/core';
import { useMutation, useQuery } from 'urql';
import type { ProductInput, ProductUpdateInput } from '@/gql/graphql';
import type { UserErrorLike } from '@/lib/errors';
import {
  ProductCreateMutation,
  ProductDeleteMutation,
  ProductImageDeleteMutation,
  ProductImageReorderMutation,
  ProductImageUpdateMutation,
  ProductImageUploadMutation,
  ProductStockSetMutation,
  ProductUpdateMutation,
} from '../api/mutations';
import { AdminProductQuery } from '../api/queries';

/** Multipart requests must carry this header (the API's guard against cross-site form posts). */
const uploadContext = { fetchOptions: { headers: { 'x-flashmart-upload': '1' } } };

interface Payload {
  userErrors: UserErrorLike[];
}

/** A mutation's transport error, its userErrors and its payload (null when it did not answer). */
function outcome<P extends Payload>(error: CombinedError | undefined, payload: P | undefined) {
  return { error, userErrors: payload?.userErrors ?? [], payload: payload ?? null };
}

/** One product for the editor (null id: a new one) and every change the editor can make. */
export function useProductEditor(id: string | null) {
  const [{ data, fetching, error }] = useQuery({
    query: AdminProductQuery,
    variables: { id: id ?? '' },
    pause: id === null,
    requestPolicy: 'cache-and-network',
  });
  const [created, runCreate] = useMutation(ProductCreateMutation);
  const [updated, runUpdate] = useMutation(ProductUpdateMutation);
  const [deleted, runDelete] = useMutation(ProductDeleteMutation);
  const [stocked, runStock] = useMutation(ProductStockSetMutation);
  const [uploaded, runUpload] = useMutation(ProductImageUploadMutation);
  const [reordered, runReorder] = useMutation(ProductImageReorderMutation);
  const [imageDeleted, runImageDelete] = useMutation(ProductImageDeleteMutation);
  const [described, runDescribe] = useMutation(ProductImageUpdateMutation);
  return {
    product: data?.product ?? null,
    fetching: id !== null && fetching && !data,
    error: data ? undefined : error,
    saving: created.fetching || updated.fetching,
    deleting: deleted.fetching,
    settingStock: stocked.fetching,
    uploading: uploaded.fetching,
    arranging: reordered.fetching || imageDeleted.fetching || described.fetching,
    create: async (input: ProductInput) => {
      const { error: failed, data: answer } = await runCreate({ input });
      return outcome(failed, answer?.productCreate);
    },
    update: async (productId: string, input: ProductUpdateInput) => {
      const { error: failed, data: answer } = await runUpdate({ id: productId, input });
      return outcome(failed, answer?.productUpdate);
    },
    remove: async (productId: string) => {
      const { error: failed, data: answer } = await runDelete({ id: productId });
      return outcome(failed, answer?.productDelete);
    },
    setStock: async (productId: string, stock: number) => {
      const { error: failed, data: answer } = await runStock({ id: productId, stock });
      return outcome(failed, answer?.productStockSet);
    },
    upload: async (productId: string, file: File, alt: string) => {
      const variables = { productId, file, alt: alt.trim() || null };
      const { error: failed, data: answer } = await runUpload(variables, uploadContext);
      return outcome(failed, answer?.productImageUpload);
    },
    reorder: async (productId: string, imageIds: string[]) => {
      const { error: failed, data: answer } = await runReorder({ productId, imageIds });
      return outcome(failed, answer?.productImageReorder);
    },
    describeImage: async (imageId: string, alt: string) => {
      const { error: failed, data: answer } = await runDescribe({ id: imageId, alt: alt.trim() });
      return outcome(failed, answer?.productImageUpdate);
    },
    removeImage: async (imageId: string) => {
      const { error: failed, data: answer } = await runImageDelete({ id: imageId });
      return outcome(failed, answer?.productImageDelete);
    },
  };
}
