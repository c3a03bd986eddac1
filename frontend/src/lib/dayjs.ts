// dayjs in the language shown (month and day names, week start), for the console's date pickers
// and filters: import dayjs from here, not from 'dayjs'. The shop formats dates with Intl and never
// loads it; antd's pickers use this same dayjs, so its global locale is theirs too.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { currentLanguage, i18n } from '@/lib/i18n';

function followLanguage(): void {
  dayjs.locale(currentLanguage() === 'zh-CN' ? 'zh-cn' : 'en');
}
followLanguage();
i18n.on('languageChanged', followLanguage);

export default dayjs;
export type { Dayjs } from 'dayjs';
