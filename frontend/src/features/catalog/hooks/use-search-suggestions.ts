import { useQuery } from 'urql';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { SearchSuggestionsQuery } from '../api/queries';
import { MAX_SEARCH } from '../utils/filters';

export const SUGGEST_DELAY_MS = 250;
export const SUGGESTIONS = 6;

/** Product names matching what is typed (asked once typing pauses; nothing for a blank box). */
export function useSearchSuggestions(text: string) {
  const query = useDebouncedValue(text.trim().slice(0, MAX_SEARCH), SUGGEST_DELAY_MS);
  const [{ data, fetching }] = useQuery({
    query: SearchSuggestionsQuery,
    variables: { query, first: SUGGESTIONS },
    pause: query === '',
  });
  return { suggestions: query === '' ? [] : (data?.searchSuggestions ?? []), fetching };
}
