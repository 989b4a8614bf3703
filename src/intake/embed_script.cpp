// The embeddable form script and the snippet administrators paste into their sites.
#include <string>

#include "intake/intake_service.hpp"

namespace otdel::intake {
namespace {

/// A JavaScript string literal of `s` (the values are our own keys and URLs, but quote them properly anyway).
std::string JsString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '<': out += "\\u003c"; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

std::string HtmlAttr(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

// The script body; KEY, ENDPOINT and HONEYPOT are defined in front of it.
constexpr const char* kScript = R"JS(
  var T = {
    ru: { name: 'Имя', phone: 'Телефон', email: 'E-mail', message: 'Сообщение', consent: 'Согласен на обработку персональных данных',
      submit: 'Отправить', sending: 'Отправляем…', ok: 'Спасибо! Заявка принята, мы скоро свяжемся с вами.',
      invalid: 'Проверьте поля формы.', busy: 'Слишком много заявок. Попробуйте через минуту.',
      failed: 'Не удалось отправить заявку. Проверьте соединение и попробуйте ещё раз.', need: 'Укажите телефон или e-mail.' },
    en: { name: 'Name', phone: 'Phone', email: 'E-mail', message: 'Message', consent: 'I agree to the processing of my personal data',
      submit: 'Send', sending: 'Sending…', ok: 'Thank you! Your request has been received; we will contact you soon.',
      invalid: 'Please check the form fields.', busy: 'Too many requests. Please try again in a minute.',
      failed: 'The request could not be sent. Check your connection and try again.', need: 'Enter a phone or an e-mail.' }
  };
  function lang() {
    var l = (document.documentElement.getAttribute('lang') || navigator.language || 'ru').toLowerCase();
    return l.indexOf('en') === 0 ? 'en' : 'ru';
  }
  function t(k) { return T[lang()][k]; }
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var a = new Uint8Array(16); window.crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  function field(form, name, type, label, required) {
    var id = 'otdel-' + KEY + '-' + name;
    var wrap = el('p', {});
    wrap.appendChild(el('label', { 'for': id }, label));
    wrap.appendChild(el(type === 'textarea' ? 'textarea' : 'input',
      type === 'textarea' ? { id: id, name: name, rows: '4' } : { id: id, name: name, type: type, autocomplete: name === 'name' ? 'name' : name === 'phone' ? 'tel' : name }));
    if (required) wrap.lastChild.setAttribute('required', '');
    form.appendChild(wrap);
  }
  function render(container) {
    var form = el('form', { 'data-otdel-form': KEY, method: 'post', action: ENDPOINT, novalidate: '' });
    field(form, 'name', 'text', t('name'));
    field(form, 'phone', 'tel', t('phone'));
    field(form, 'email', 'email', t('email'));
    field(form, 'message', 'textarea', t('message'));
    var c = el('p', {}); var cl = el('label', {});
    cl.appendChild(el('input', { type: 'checkbox', name: 'consent', required: '' }));
    cl.appendChild(document.createTextNode(' ' + t('consent')));
    c.appendChild(cl); form.appendChild(c);
    form.appendChild(el('button', { type: 'submit' }, t('submit')));
    container.appendChild(form);
    return form;
  }
  function attach(form) {
    if (form.getAttribute('data-otdel-ready')) return;
    form.setAttribute('data-otdel-ready', '1');
    if (!form.querySelector('[name="' + HONEYPOT + '"]')) {
      var hp = el('input', { type: 'text', name: HONEYPOT, tabindex: '-1', autocomplete: 'off', 'aria-hidden': 'true' });
      hp.style.cssText = 'position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden';
      form.appendChild(hp);
    }
    var status = form.querySelector('[data-otdel-status]');
    if (!status) { status = el('p', { 'data-otdel-status': '', role: 'status', 'aria-live': 'polite' }); form.appendChild(status); }
    var key = newKey();
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var data = {};
      var inputs = form.querySelectorAll('input, textarea, select');
      for (var i = 0; i < inputs.length; i++) {
        var f = inputs[i];
        if (!f.name || f.disabled) continue;
        f.removeAttribute('aria-invalid');
        if (f.type === 'checkbox' || f.type === 'radio') { if (f.checked) data[f.name] = f.value || 'on'; continue; }
        data[f.name] = f.value;
      }
      if (!data.phone && !data.email) { status.textContent = t('need'); return; }
      data.page_url = String(window.location.href);
      data.referrer = document.referrer || '';
      var button = form.querySelector('[type="submit"]');
      if (button) button.disabled = true;
      status.textContent = t('sending');
      fetch(ENDPOINT, { method: 'POST', mode: 'cors', credentials: 'omit',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'Accept-Language': lang() },
        body: JSON.stringify(data) })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return { s: r.status, b: b }; }); })
        .then(function (res) {
          if (res.s >= 200 && res.s < 300) { status.textContent = t('ok'); form.reset(); key = newKey(); return; }
          if (res.s === 422 && res.b && res.b.errors) {
            var msgs = [];
            res.b.errors.forEach(function (e) {
              var input = form.querySelector('[name="' + String(e.field).replace(/"/g, '') + '"]');
              if (input) input.setAttribute('aria-invalid', 'true');
              if (e.message && msgs.indexOf(e.message) < 0) msgs.push(e.message);
            });
            status.textContent = t('invalid') + (msgs.length ? ' ' + msgs.join(' ') : '');
            return;
          }
          status.textContent = res.s === 429 ? t('busy') : t('failed');
        })
        .catch(function () { status.textContent = t('failed'); })
        .then(function () { if (button) button.disabled = false; });
    });
  }
  function start() {
    var forms = document.querySelectorAll('form[data-otdel-form="' + KEY + '"]');
    if (!forms.length) {
      var host = document.querySelector('[data-otdel-form-container="' + KEY + '"]');
      if (!host) { host = el('div', {}); (SCRIPT && SCRIPT.parentNode ? SCRIPT.parentNode.insertBefore(host, SCRIPT) : document.body.appendChild(host)); }
      forms = [render(host)];
    }
    for (var i = 0; i < forms.length; i++) attach(forms[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
)JS";

}  // namespace

std::string EmbedScript(const std::string& endpoint_url, const std::string& public_key, const std::string& honeypot) {
    std::string out =
        "/* Otdel website form: sends the form to the CRM as a lead. */\n(function () {\n  'use strict';\n";
    out += "  var KEY = " + JsString(public_key) + ";\n";
    out += "  var ENDPOINT = " + JsString(endpoint_url) + ";\n";
    out += "  var HONEYPOT = " + JsString(honeypot) + ";\n";
    out += "  var SCRIPT = document.currentScript;\n";
    out += kScript;
    return out;
}

std::string EmbedSnippet(const std::string& endpoint_url, const std::string& script_url, const std::string& public_key,
                         const std::string& honeypot) {
    const std::string k = HtmlAttr(public_key);
    std::string html;
    html += "<form data-otdel-form=\"" + k + "\" method=\"post\" action=\"" + HtmlAttr(endpoint_url) + "\">\n";
    html +=
        "  <p><label for=\"otdel-name\">Имя</label> <input id=\"otdel-name\" name=\"name\" "
        "autocomplete=\"name\"></p>\n";
    html +=
        "  <p><label for=\"otdel-phone\">Телефон</label> <input id=\"otdel-phone\" name=\"phone\" type=\"tel\" "
        "autocomplete=\"tel\"></p>\n";
    html +=
        "  <p><label for=\"otdel-email\">E-mail</label> <input id=\"otdel-email\" name=\"email\" type=\"email\" "
        "autocomplete=\"email\"></p>\n";
    html +=
        "  <p><label for=\"otdel-message\">Сообщение</label> <textarea id=\"otdel-message\" name=\"message\" "
        "rows=\"4\"></textarea></p>\n";
    html +=
        "  <p><label><input type=\"checkbox\" name=\"consent\" required> Согласен на обработку персональных "
        "данных</label></p>\n";
    html += "  <input type=\"text\" name=\"" + HtmlAttr(honeypot) +
            "\" tabindex=\"-1\" autocomplete=\"off\" aria-hidden=\"true\" "
            "style=\"position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden\">\n";
    html += "  <button type=\"submit\">Отправить</button>\n";
    html += "</form>\n";
    html += "<script src=\"" + HtmlAttr(script_url) + "\" async></script>\n";
    return html;
}

}  // namespace otdel::intake
