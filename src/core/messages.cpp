#include "core/messages.hpp"

#include <map>
#include <string>

namespace otdel::core {
namespace {

struct Text {
    std::string_view ru;
    std::string_view en;
};

std::string_view Pick(const Text& t, Lang lang) {
    return lang == Lang::kEn ? t.en : t.ru;
}

const std::map<ErrorCode, Text>& Titles() {
    static const std::map<ErrorCode, Text> k = {
        {ErrorCode::kBadRequest, {"Некорректный запрос", "Bad request"}},
        {ErrorCode::kMalformedJson, {"Тело запроса не является корректным JSON", "The request body is not valid JSON"}},
        {ErrorCode::kUnsupportedMediaType, {"Неподдерживаемый формат данных", "Unsupported media type"}},
        {ErrorCode::kValidation, {"Проверьте введённые данные", "Please check the data you entered"}},
        {ErrorCode::kUnauthenticated, {"Требуется вход в систему", "Sign-in required"}},
        {ErrorCode::kInvalidCredentials, {"Неверный e-mail или пароль", "Wrong e-mail or password"}},
        {ErrorCode::kSessionExpired, {"Сеанс истёк", "Session expired"}},
        {ErrorCode::kForbidden, {"Недостаточно прав", "Not allowed"}},
        {ErrorCode::kCsrfFailed, {"Запрос отклонён защитой от подделки", "Request rejected by CSRF protection"}},
        {ErrorCode::kNotFound, {"Не найдено", "Not found"}},
        {ErrorCode::kMethodNotAllowed, {"Метод не поддерживается", "Method not allowed"}},
        {ErrorCode::kConflict, {"Конфликт данных", "Conflict"}},
        {ErrorCode::kPayloadTooLarge, {"Слишком большой запрос", "Request too large"}},
        {ErrorCode::kRateLimited, {"Слишком много запросов", "Too many requests"}},
        {ErrorCode::kUnavailable, {"Сервис временно недоступен", "Service temporarily unavailable"}},
        {ErrorCode::kInternal, {"Внутренняя ошибка сервера", "Internal server error"}},
    };
    return k;
}

// Default detailed messages per code, and specific ones by key. Keys are "<area>.<what>".
const std::map<std::string, Text, std::less<>>& Details() {
    static const std::map<std::string, Text, std::less<>> k = {
        {"bad_request", {"Запрос не удалось разобрать.", "The request could not be understood."}},
        {"malformed_json", {"Отправьте корректный JSON-объект.", "Send a well-formed JSON object."}},
        {"unsupported_media_type",
         {"Отправьте данные с заголовком Content-Type: application/json.",
          "Send the data with Content-Type: application/json."}},
        {"validation_failed", {"Некоторые поля заполнены неверно.", "Some fields are not valid."}},
        {"unauthenticated", {"Войдите в систему, чтобы продолжить.", "Sign in to continue."}},
        {"invalid_credentials",
         {"Неверный e-mail или пароль. Проверьте раскладку клавиатуры и попробуйте ещё раз.",
          "Wrong e-mail or password. Check the keyboard layout and try again."}},
        {"session_expired", {"Сеанс истёк. Войдите снова.", "Your session has expired. Please sign in again."}},
        {"forbidden", {"У вас нет прав на это действие.", "You are not allowed to do this."}},
        {"csrf_failed", {"Обновите страницу и повторите действие.", "Reload the page and repeat the action."}},
        {"not_found", {"Запрошенный объект не найден.", "The requested resource was not found."}},
        {"method_not_allowed",
         {"Этот метод не поддерживается для данного адреса.", "This method is not supported for this address."}},
        {"conflict", {"Данные изменились или уже существуют.", "The data changed or already exists."}},
        {"payload_too_large",
         {"Размер запроса превышает допустимый предел.", "The request is larger than the allowed limit."}},
        {"rate_limited", {"Слишком много попыток. Повторите позже.", "Too many attempts. Please try again later."}},
        {"unavailable",
         {"Сервис перезапускается или перегружен. Повторите через минуту.",
          "The service is restarting or overloaded. Try again in a minute."}},
        {"internal_error",
         {"Что-то пошло не так. Мы уже записали ошибку; повторите позже.",
          "Something went wrong. The error was logged; try again later."}},
        // Specific keys used by features.
        {"auth.login_rate_limited",
         {"Слишком много неудачных попыток входа. Повторите через несколько минут.",
          "Too many failed sign-in attempts. Try again in a few minutes."}},
        {"auth.user_disabled", {"Учётная запись отключена.", "This account is disabled."}},
        {"auth.token_invalid", {"API-токен недействителен или отозван.", "The API token is invalid or revoked."}},
        {"auth.session_invalid", {"Сеанс недействителен. Войдите снова.", "The session is not valid. Sign in again."}},
        {"auth.admin_only", {"Действие доступно только администратору.", "Only an administrator can do this."}},
        {"auth.email_taken",
         {"Пользователь с таким e-mail уже существует.", "A user with this e-mail already exists."}},
        {"clock.not_manual",
         {"Управление временем доступно только в режиме --manual-clock.",
          "Time control is only available with --manual-clock."}},
        {"clock.backwards", {"Время нельзя перевести назад.", "Time cannot be moved backwards."}},
        {"org.manage_forbidden",
         {"Менять оргструктуру могут администраторы и руководители с доступом ко всей компании.",
          "Only administrators and managers with company-wide scope can change the organisation."}},
        {"org.department_cycle",
         {"Нельзя переместить отдел внутрь самого себя или своего подразделения.",
          "A department cannot be moved under itself or one of its own sub-departments."}},
        {"org.department_has_people",
         {"В отделе есть работающие сотрудники: переведите их, прежде чем отправлять отдел в архив.",
          "The department still has active employees: move them before archiving it."}},
        {"org.department_has_children",
         {"У отдела есть действующие подразделения: перенесите или архивируйте их сначала.",
          "The department has active sub-departments: move or archive them first."}},
        {"org.parent_archived", {"Вышестоящий отдел в архиве.", "The parent department is archived."}},
        {"org.already_archived", {"Отдел уже в архиве.", "The department is already archived."}},
        {"org.not_archived", {"Отдел не в архиве.", "The department is not archived."}},
        {"org.head_not_employee",
         {"Руководителем может быть только работающий сотрудник.", "The head must be an active employee."}},
        {"org.manager_loop",
         {"Такое подчинение замкнётся в круг: сотрудник окажется руководителем своего руководителя.",
          "This would make a reporting loop: someone would manage their own manager."}},
        {"org.role_in_use",
         {"Роль занята сотрудниками; сначала назначьте им другую роль.",
          "Employees still hold this role; give them another role first."}},
        {"org.role_retired", {"Роль уже выведена из каталога.", "The role is already retired."}},
        {"org.role_code_taken", {"Роль с таким кодом уже есть.", "A role with this code already exists."}},
        {"org.already_employee", {"Этот пользователь уже сотрудник.", "This user is already an employee."}},
        {"org.employee_dismissed", {"Сотрудник уволен.", "The employee is dismissed."}},
        {"org.handover_target_invalid",
         {"Дела можно передать только другому работающему сотруднику.",
          "Records can only be handed over to another active employee."}},
        {"org.person_dismissed",
         {"Уволенному сотруднику нельзя оформить отсутствие или назначить его заместителем.",
          "A dismissed employee cannot be absent or act as a substitute."}},
        {"org.absence_overlap",
         {"У сотрудника уже есть отсутствие в эти дни.", "The employee already has an absence on these days."}},
        {"org.substitute_absent",
         {"Заместитель сам отсутствует в часть этих дней — выберите другого.",
          "The substitute is away on some of these days: choose someone else."}},
        {"org.substitute_loop",
         {"Замещение замкнётся в круг: заместитель передаёт дела обратно этому сотруднику.",
          "The substitution would loop: the substitute hands work back to this employee."}},
        {"org.absence_cancelled", {"Отсутствие уже отменено.", "The absence is already cancelled."}},
        {"http.header_too_large", {"Заголовки запроса слишком большие.", "Request headers are too large."}},
        {"mail.not_configured",
         {"Отправка почты на сервере не настроена.", "Sending e-mail is not set up on this server."}},
        {"mail.send_failed",
         {"Почтовый сервер не принял письмо; попробуем ещё раз позже.",
          "The mail server did not take the message; it will be retried later."}},
        {"notify.channel_off",
         {"Этот канал уведомлений на сервере не настроен.", "This notification channel is not set up on this server."}},
        {"notify.telegram_off",
         {"Бот Telegram на сервере не настроен.", "The Telegram bot is not set up on this server."}},
        {"notify.telegram_bad_url",
         {"Адрес Telegram Bot API в настройках сервера неверен.",
          "The Telegram Bot API address in the settings is wrong."}},
        {"notify.telegram_tls",
         {"Не удалось установить защищённое соединение с Telegram.",
          "Could not set up a secure connection to Telegram."}},
        {"notify.telegram_refused",
         {"Telegram не принял сообщение: проверьте идентификатор чата и что вы написали боту.",
          "Telegram refused the message: check the chat id and that you have written to the bot."}},
        {"notify.telegram_unreachable",
         {"Telegram сейчас недоступен; попробуем ещё раз позже.", "Telegram is unreachable now; it will be retried."}},
        {"routing.slot_taken",
         {"Это время у сотрудника уже занято другой встречей: выберите другой слот.",
          "This person already has a meeting at that time: choose another slot."}},
        {"routing.slot_outside_hours",
         {"Встреча выходит за рабочее время сотрудника.", "The meeting falls outside the person's working hours."}},
        {"calendar.no_working_time",
         {"В календаре нет рабочего времени в ближайшие 400 дней: проверьте часы работы, праздники и отсутствия.",
          "The calendar has no working time within the next 400 days: check the working hours, holidays and "
          "absences."}},
        {"calendar.day_exists",
         {"Для этой даты уже есть запись календаря: измените её.",
          "This date already has a calendar entry: change that one instead."}},
        {"clients.write_forbidden",
         {"Ваша роль не позволяет менять эту карточку клиента.",
          "Your role does not allow changing this client card."}},
        {"clients.assign_forbidden",
         {"Назначать ответственным другого сотрудника может только руководитель или администратор.",
          "Only a head or an administrator can make someone else the owner."}},
        {"clients.delete_forbidden",
         {"Ваша роль не позволяет удалять и восстанавливать клиентов.",
          "Your role does not allow deleting or restoring clients."}},
        {"clients.record_deleted",
         {"Карточка в корзине: сначала восстановите её.", "The card is in the bin: restore it first."}},
        {"clients.record_not_deleted", {"Карточка не в корзине.", "The card is not in the bin."}},
        {"clients.record_merged",
         {"Карточка объединена с другой; откройте итоговую карточку.",
          "The card was merged into another one; open that card instead."}},
        {"clients.settings_forbidden",
         {"Настраивать поля клиентов могут администраторы и руководители с правом на настройки.",
          "Client fields are set up by administrators and heads allowed to change settings."}},
        {"clients.field_code_taken",
         {"Поле с таким кодом уже есть у этого типа записей.", "This record type already has a field with this code."}},
        {"clients.merge_same", {"Нельзя объединить карточку саму с собой.", "A card cannot be merged with itself."}},
        {"clients.share_forbidden",
         {"Общие представления создают руководители и администраторы.",
          "Shared views are created by heads and administrators."}},
        // ---- clients messages (insert above this line) ----
        {"leads.convert_only",
         {"Статус «сконвертирован» ставится только конвертацией заявки в клиента.",
          "A lead becomes converted only by converting it into a client."}},
        {"leads.already_converted",
         {"Заявка уже сконвертирована в клиента; её статус больше не меняется.",
          "The lead is already converted into a client; its status no longer changes."}},
        {"leads.same_status", {"Заявка уже в этом статусе.", "The lead already has this status."}},
        {"leads.transition_not_allowed",
         {"Из текущего статуса заявки в этот перейти нельзя.", "The lead cannot move from its status to this one."}},
        {"leads.not_open",
         {"Действие доступно только для открытой заявки (новая, в работе, квалифицирована).",
          "Only an open lead (new, in work, qualified) allows this."}},
        {"leads.merge_self", {"Заявку нельзя объединить саму с собой.", "A lead cannot be merged with itself."}},
        // ---- leads messages (insert above this line) ----
        {"intake.manage_forbidden",
         {"Настраивать формы и каналы приёма заявок могут администраторы и руководители с правом изменять структуру.",
          "Forms and intake channels are set up by administrators and heads allowed to change the organisation."}},
        {"intake.bad_form_encoding",
         {"Данные формы не удалось прочитать: ожидается UTF-8 в формате application/x-www-form-urlencoded или JSON.",
          "The form data could not be read: send UTF-8 as application/x-www-form-urlencoded or JSON."}},
        {"intake.form_media_type",
         {"Отправьте форму как application/x-www-form-urlencoded или application/json.",
          "Send the form as application/x-www-form-urlencoded or application/json."}},
        {"intake.origin_not_allowed",
         {"Этот сайт не указан среди разрешённых для формы. Добавьте его адрес в настройках формы.",
          "This site is not on the form's list of allowed sites. Add its address in the form settings."}},
        {"intake.rate_limited",
         {"Слишком много заявок подряд. Подождите немного и отправьте ещё раз.",
          "Too many submissions in a row. Wait a little and send again."}},
        {"intake.idempotency_mismatch",
         {"Этот ключ Idempotency-Key уже использован для другой заявки. Для новой заявки нужен новый ключ.",
          "This Idempotency-Key was already used for a different submission. Use a new key for a new one."}},
        {"intake.signature_invalid",
         {"Подпись запроса неверна или отсутствует (X-Otdel-Timestamp, X-Otdel-Signature).",
          "The request signature is wrong or missing (X-Otdel-Timestamp, X-Otdel-Signature)."}},
        {"intake.signature_expired",
         {"Время подписи отличается от нашего больше чем на 5 минут: проверьте часы отправителя.",
          "The signature time is more than 5 minutes away from ours: check the sender's clock."}},
        {"intake.replayed", {"Это событие уже получено.", "This event has already been received."}},
        {"intake.telegram_secret",
         {"Секретный токен Telegram не совпадает с настройками канала.",
          "The Telegram secret token does not match the channel settings."}},
        {"intake.imap_failed",
         {"Не удалось прочитать почтовый ящик: проверьте сервер, порт, шифрование, логин и пароль.",
          "The mailbox could not be read: check the server, port, encryption, user name and password."}},
        // ---- intake messages (insert above this line) ----
        {"imports.not_startable",
         {"Этот импорт уже запущен или завершён; загрузите файл заново.",
          "This import has already been started or has finished; upload the file again."}},
        {"imports.finished", {"Импорт уже завершён.", "The import has already finished."}},
        {"imports.mapping_builtin",
         {"Готовое сопоставление нельзя изменить: сохраните его копию под своим именем.",
          "A ready-made mapping cannot be changed: save a copy under your own name."}},
        {"deals.gate_blocked",
         {"Сделку нельзя перевести на этот этап: не выполнены его условия (см. список).",
          "The deal cannot enter this stage: its requirements are not met (see the list)."}},
        {"deals.pipeline_archived", {"Воронка в архиве.", "The pipeline is archived."}},
        {"deals.pipeline_is_default",
         {"Это основная воронка: сначала сделайте основной другую.",
          "This is the default pipeline: make another one the default first."}},
        {"deals.pipeline_has_deals",
         {"В воронке есть открытые сделки: закройте или перенесите их.",
          "The pipeline has open deals: close or move them first."}},
        {"deals.stage_has_deals",
         {"На этапе стоят сделки: сначала перенесите их на другой этап.",
          "Deals stand in this stage: move them to another stage first."}},
        {"deals.stage_kinds",
         {"В воронке должны остаться хотя бы один рабочий этап, один успешный и один проигрышный.",
          "A pipeline keeps at least one open, one won and one lost stage."}},
        {"deals.assign_forbidden",
         {"Нет права передавать сделки этому сотруднику.", "You may not give deals to this person."}},
        {"deals.write_forbidden",
         {"Сделку можно только просматривать: менять её может ответственный или его руководитель.",
          "You can only view this deal: its owner or their manager can change it."}},
        {"deals.not_deleted", {"Сделка не удалена.", "The deal is not deleted."}},
        // ---- imports messages (insert above this line) ----
    };
    return k;
}

const std::map<std::string, Text, std::less<>>& FieldTexts() {
    static const std::map<std::string, Text, std::less<>> k = {
        {"required", {"Обязательное поле.", "This field is required."}},
        {"gate_required",
         {"Заполните «{param}»: без этого сделку нельзя перевести на выбранный этап.",
          "Fill in \"{param}\": the deal cannot enter the chosen stage without it."}},
        {"gate_unchecked",
         {"Отметьте пункт «{param}»: без этого сделку нельзя перевести на выбранный этап.",
          "Tick \"{param}\": the deal cannot enter the chosen stage without it."}},
        {"wrong_type", {"Неверный тип значения: ожидается {param}.", "Wrong value type: expected {param}."}},
        {"too_long", {"Слишком длинное значение: не более {param} символов.", "Too long: at most {param} characters."}},
        {"too_short",
         {"Слишком короткое значение: не менее {param} символов.", "Too short: at least {param} characters."}},
        {"unknown_field", {"Неизвестное поле.", "Unknown field."}},
        {"invalid", {"Недопустимое значение.", "Invalid value."}},
        {"invalid_email", {"Введите корректный e-mail.", "Enter a valid e-mail address."}},
        {"out_of_range", {"Значение вне допустимого диапазона: {param}.", "Value out of range: {param}."}},
        {"not_one_of", {"Допустимые значения: {param}.", "Allowed values: {param}."}},
        {"not_unique", {"Такое значение уже используется.", "This value is already in use."}},
        {"invalid_time_zone",
         {"Неизвестный часовой пояс «{param}»: укажите имя из базы IANA, например Europe/Moscow.",
          "Unknown time zone \"{param}\": use an IANA name such as Europe/Moscow."}},
        {"invalid_date", {"Укажите дату в формате ГГГГ-ММ-ДД.", "Enter a date as YYYY-MM-DD."}},
        {"invalid_clock", {"Укажите время в формате ЧЧ:ММ (00:00–24:00).", "Enter a time as HH:MM (00:00–24:00)."}},
        {"invalid_interval",
         {"Начало и конец интервала должны различаться; конец раньше начала означает смену через полночь.",
          "Start and end must differ; an end before the start means a shift across midnight."}},
        {"overlapping_intervals",
         {"Интервалы работы пересекаются (в том числе ночная смена с утром следующего дня).",
          "Working intervals overlap (including a night shift with the next morning)."}},
        {"hours_not_allowed",
         {"У нерабочего праздничного дня не может быть часов работы.", "A holiday cannot have working hours."}},
        {"too_many", {"Слишком много элементов: не более {param}.", "Too many items: at most {param}."}},
        {"invalid_range", {"Конец периода раньше начала.", "The end of the range is before its start."}},
        {"conflict", {"Значение конфликтует с другими данными.", "This value conflicts with other data."}},
        {"invalid_date", {"Укажите дату в формате ГГГГ-ММ-ДД.", "Enter a date as YYYY-MM-DD."}},
        {"before_start", {"Окончание раньше начала.", "The end is before the start."}},
        {"same_person", {"Нельзя указать того же сотрудника.", "Choose someone other than the employee."}},
        {"in_use", {"Сотрудников с этой ролью: {param}.", "Employees holding this role: {param}."}},
        {"has_people", {"Сотрудников в отделе: {param}.", "Employees in the department: {param}."}},
        {"has_children", {"Действующих подразделений: {param}.", "Active sub-departments: {param}."}},
        {"cycle", {"Получится цикл в структуре.", "This would create a cycle in the structure."}},
        {"manager_loop", {"Получится замкнутое подчинение.", "This would create a reporting loop."}},
        {"archived", {"Объект в архиве.", "This item is archived."}},
        {"not_archived", {"Объект не в архиве.", "This item is not archived."}},
        {"retired", {"Роль выведена из каталога.", "The role is retired."}},
        {"dismissed", {"Сотрудник уволен.", "The employee is dismissed."}},
        {"cancelled", {"Уже отменено.", "Already cancelled."}},
        {"weak_password",
         {"Пароль должен содержать не менее {param} символов.", "The password must be at least {param} characters."}},
        {"invalid_phone",
         {"Не похоже на номер телефона: проверьте цифры и код страны.",
          "This does not look like a phone number: check the digits and the country code."}},
        {"invalid_inn",
         {"ИНН должен содержать 10 или 12 цифр с верными контрольными цифрами.",
          "An INN has 10 or 12 digits with valid check digits."}},
        {"invalid_kpp", {"КПП — 9 знаков в формате NNNNPPNNN.", "A KPP has 9 characters in the form NNNNPPNNN."}},
        {"invalid_ogrn",
         {"ОГРН — 13 цифр (ОГРНИП — 15) с верной контрольной цифрой.",
          "An OGRN has 13 digits (OGRNIP 15) with a valid check digit."}},
        {"invalid_bik", {"БИК — 9 цифр, начинается с 04.", "A BIK has 9 digits and starts with 04."}},
        {"invalid_account",
         {"Номер счёта не сходится с БИК по контрольному ключу.",
          "The account number does not match the BIK by its control key."}},
        {"inn_for_ip", {"У ИП ИНН из 12 цифр.", "A sole trader's INN has 12 digits."}},
        {"inn_for_org", {"У организации ИНН из 10 цифр.", "An organisation's INN has 10 digits."}},
        {"kpp_for_ip", {"У ИП нет КПП.", "A sole trader has no KPP."}},
        {"ogrn_for_ip", {"У ИП ОГРНИП из 15 цифр.", "A sole trader's OGRNIP has 15 digits."}},
        {"not_an_option", {"«{param}» нет среди вариантов поля.", "\"{param}\" is not one of the field's options."}},
        {"duplicate", {"Значение «{param}» повторяется.", "The value \"{param}\" is repeated."}},
        {"invalid_code",
         {"Код: латинские строчные буквы, цифры и _, начинается с буквы.",
          "Code: lower-case Latin letters, digits and _, starting with a letter."}},
        {"options_not_allowed", {"Варианты бывают только у полей выбора.", "Only choice fields have options."}},
        // ---- clients field texts (insert above this line) ----
        {"lead_empty",
         {"Заявка пустая: нужен телефон, e-mail, имя или текст запроса.",
          "The lead is empty: give a phone, an e-mail, a name or the request text."}},
        {"either_or", {"Укажите что-то одно: {param}.", "Give exactly one of: {param}."}},
        // ---- leads field texts (insert above this line) ----
        {"pool_empty",
         {"Укажите пул: отдел или список сотрудников.", "Choose the pool: a department or a list of people."}},
        {"pool_never_eligible",
         {"В этом отделе нет работающих сотрудников: заявки некому будет назначить.",
          "Nobody active works in this department: there would be no one to give the leads to."}},
        {"not_employee",
         {"Пользователь #{param} не работает в отделе продаж (уволен или не сотрудник).",
          "User #{param} is not an active employee (dismissed or never placed)."}},
        {"not_a_host",
         {"Встречу можно назначить только дизайнеру-менеджеру или замерщику.",
          "A meeting can only be booked with a designer-manager or measurer."}},
        {"in_the_past", {"Это время уже прошло.", "This time is already in the past."}},
        {"must_list_every_rule", {"Перечислите все правила ровно по одному разу.", "List every rule exactly once."}},
        // ---- routing field texts (insert above this line) ----
        {"invalid_chat_id",
         {"Укажите числовой идентификатор чата Telegram (его сообщит бот по команде /start).",
          "Enter the numeric Telegram chat id (the bot tells it in reply to /start)."}},
        {"phone_or_email_required",
         {"Укажите телефон или e-mail, чтобы мы могли связаться с вами.",
          "Enter a phone or an e-mail so that we can contact you."}},
        {"invalid_origin",
         {"Укажите адрес сайта как https://example.ru (без пути).",
          "Enter the site address as https://example.ru (no path)."}},
        {"invalid_url",
         {"Укажите адрес, начинающийся с https:// или http://.",
          "Enter an address starting with https:// or http://."}},
        {"invalid_secret",
         {"Секрет слишком короткий или содержит недопустимые символы (не менее {param} символов).",
          "The secret is too short or has characters that are not allowed (at least {param} characters)."}},
        {"immutable", {"Это значение нельзя изменить после создания.", "This value cannot be changed once created."}},
        // ---- intake field texts (insert above this line) ----
        {"broken_quote",
         {"Строка не прочитана: кавычка не закрыта или стоит внутри значения без кавычек.",
          "The row could not be read: a quote is not closed or stands inside an unquoted value."}},
        {"invalid_encoding",
         {"Строка не в кодировке файла (похоже на другую кодировку): пересохраните файл в UTF-8.",
          "The row is not in the file's encoding: save the file as UTF-8 again."}},
        {"mixed_encoding",
         {"Строка в UTF-8, а файл в Windows-1251: в файле смешаны кодировки.",
          "The row is UTF-8 while the file is Windows-1251: the file mixes encodings."}},
        {"too_many_cells", {"В строке слишком много столбцов.", "The row has too many columns."}},
        {"row_too_long", {"Строка слишком длинная.", "The row is too long."}},
        {"unknown_owner",
         {"Ответственный «{param}» не найден среди активных пользователей.",
          "Owner \"{param}\" is not an active user of the workspace."}},
        {"owner_not_allowed",
         {"Вы не можете назначать ответственным «{param}».", "You may not make \"{param}\" the owner."}},
        {"not_a_target_field", {"Нет такого поля для импорта: {param}.", "There is no such import field: {param}."}},
        {"write_failed",
         {"Строку не удалось записать; остальные строки импортированы.",
          "The row could not be written; the other rows were imported."}},
        {"zip_bomb",
         {"Файл XLSX распаковывается в слишком большой объём — похоже на zip-бомбу.",
          "The XLSX file unpacks to far too much data: it looks like a zip bomb."}},
        {"not_xlsx", {"Файл не похож на книгу Excel (XLSX).", "The file does not look like an Excel workbook (XLSX)."}},
        {"malformed_xlsx",
         {"Книга Excel повреждена: лист не удалось прочитать до конца.",
          "The Excel workbook is damaged: its sheet could not be read to the end."}},
        {"empty_file",
         {"Файл пуст: нет даже строки заголовков.", "The file is empty: there is not even a header row."}},
        {"unreadable", {"Файл не удалось открыть.", "The file could not be opened."}},
        // ---- imports field texts (insert above this line) ----
    };
    return k;
}

std::string Substitute(std::string_view text, const std::string& param) {
    std::string out(text);
    const std::string_view placeholder = "{param}";
    if (auto pos = out.find(placeholder); pos != std::string::npos) out.replace(pos, placeholder.size(), param);
    return out;
}

}  // namespace

std::string_view ErrorTitle(ErrorCode code, Lang lang) {
    auto it = Titles().find(code);
    return it == Titles().end() ? Pick(Titles().at(ErrorCode::kInternal), lang) : Pick(it->second, lang);
}

std::string ErrorMessage(const Error& error, Lang lang) {
    if (!error.message_key.empty()) {
        if (auto it = Details().find(error.message_key); it != Details().end())
            return std::string(Pick(it->second, lang));
    }
    auto it = Details().find(ErrorCodeName(error.code));
    return it == Details().end() ? std::string(ErrorTitle(error.code, lang)) : std::string(Pick(it->second, lang));
}

std::string FieldMessage(const FieldError& field, Lang lang) {
    auto it = FieldTexts().find(field.code);
    if (it == FieldTexts().end()) it = FieldTexts().find("invalid");
    return Substitute(Pick(it->second, lang), field.param);
}

bool CatalogComplete() {
    for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
        auto code = static_cast<ErrorCode>(c);
        if (!Titles().count(code) || !Details().count(ErrorCodeName(code))) return false;
    }
    auto complete = [](const auto& map) {
        for (const auto& [key, text] : map)
            if (text.ru.empty() || text.en.empty()) return false;
        return true;
    };
    return complete(Details()) && complete(FieldTexts());
}

}  // namespace otdel::core
