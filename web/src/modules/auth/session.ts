import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api, type ApiError, type Me } from '../../api';
import { applyLanguage, reconcileLanguageAfterLogin } from '../me/language';

import { ME_QUERY_KEY } from './keys';

export { ME_QUERY_KEY };

/** The signed-in user. A restored session brings back the language saved in the profile. */
export function useMe() {
  return useQuery<Me, ApiError>({
    queryKey: ME_QUERY_KEY,
    queryFn: async () => {
      const me = await api.getMe();
      applyLanguage(me.locale);
      return me;
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation<Me, ApiError, { email: string; password: string }>({
    mutationFn: async ({ email, password }) => {
      const me = await api.login(email, password);
      return reconcileLanguageAfterLogin(me);
    },
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, me);
    },
  });
}

/** Ends the session on the server, forgets every cached answer and shows the login page. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation<void, ApiError>({
    mutationFn: () => api.logout(),
    onSettled: () => {
      navigate('/login', { replace: true });
      queryClient.clear();
    },
  });
}
