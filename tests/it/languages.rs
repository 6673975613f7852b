//! Issue 21: a language is added by adding its folder. A content folder made here, with Polish,
//! Swedish, Korean and Ukrainian locales (translations written for this test), is detected and
//! answered in after a live reload, with no rebuild; a removed locale stops being chosen.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::{
    copy_of_content, poll_until, spawn_app_on_a_copy, switchboard_command, TestApp,
};

/// Per intent of the catalogue, a few examples in each added language.
const EXAMPLES: &[(&str, [&str; 4])] = &[
    // (intent, [pl, sv, ko, uk]) — examples separated by '|'
    ("greeting", ["dzień dobry|cześć|witam, potrzebuję pomocy", "hej|god morgon|hej, jag behöver hjälp", "안녕하세요|안녕|도와주실 수 있나요", "добрий день|привіт|вітаю, потрібна допомога"]),
    ("goodbye", ["do widzenia|na razie|to wszystko, pa", "hej då|vi ses|det var allt, hej då", "안녕히 계세요|잘 있어요|이만 갈게요", "до побачення|бувайте|це все, до побачення"]),
    ("thanks", ["dziękuję|dzięki bardzo|bardzo dziękuję za pomoc", "tack|tack så mycket|tack för hjälpen", "감사합니다|고마워요|도와주셔서 감사합니다", "дякую|щиро дякую|дякую за допомогу"]),
    ("order_status", ["gdzie jest moje zamówienie|chcę sprawdzić status zamówienia|kiedy przyjdzie moja paczka", "var är min beställning|jag vill spåra min beställning|när kommer mitt paket", "제 주문은 어디에 있나요|주문 상태를 확인하고 싶어요|택배가 언제 도착하나요", "де моє замовлення|хочу відстежити замовлення|коли прийде моя посилка"]),
    ("shipping_time", ["jak długo trwa dostawa|ile dni czeka się na przesyłkę|kiedy wysyłacie", "hur lång är leveranstiden|hur många dagar tar frakten|när skickar ni", "배송은 얼마나 걸리나요|며칠 안에 도착하나요|언제 발송되나요", "скільки триває доставка|за скільки днів прийде|коли ви відправляєте"]),
    ("shipping_cost", ["ile kosztuje wysyłka|jaki jest koszt dostawy|czy dostawa jest darmowa", "vad kostar frakten|hur mycket kostar leveransen|är frakten gratis", "배송비는 얼마인가요|배송 요금이 궁금해요|무료 배송인가요", "скільки коштує доставка|яка ціна доставки|чи доставка безкоштовна"]),
    ("return_item", ["chcę zwrócić produkt|jak mogę oddać towar|chciałbym zwrócić zamówienie", "jag vill returnera en vara|hur skickar jag tillbaka varan|jag vill lämna tillbaka min beställning", "상품을 반품하고 싶어요|반품은 어떻게 하나요|주문한 물건을 돌려보내고 싶어요", "хочу повернути товар|як оформити повернення|я хочу повернути замовлення"]),
    ("refund_status", ["kiedy dostanę zwrot pieniędzy|gdzie jest mój zwrot|nie otrzymałem jeszcze zwrotu", "när får jag pengarna tillbaka|var är min återbetalning|jag har inte fått min återbetalning", "환불은 언제 되나요|환불 상태를 알고 싶어요|아직 환불을 못 받았어요", "коли я отримаю гроші назад|де моє відшкодування|я ще не отримав повернення коштів"]),
    ("cancel_order", ["chcę anulować zamówienie|jak odwołać zamówienie|proszę anulować moje zamówienie", "jag vill avbryta min beställning|hur avbokar jag ordern|avbryt min beställning tack", "주문을 취소하고 싶어요|주문 취소는 어떻게 하나요|제 주문을 취소해 주세요", "хочу скасувати замовлення|як скасувати замовлення|скасуйте моє замовлення будь ласка"]),
    ("change_address", ["chcę zmienić adres dostawy|podałem zły adres|jak zmienić adres", "jag vill ändra leveransadressen|jag angav fel adress|hur byter jag adress", "배송 주소를 바꾸고 싶어요|주소를 잘못 입력했어요|주소 변경은 어떻게 하나요", "хочу змінити адресу доставки|я вказав неправильну адресу|як змінити адресу"]),
    ("payment_methods", ["jakie formy płatności akceptujecie|czy mogę zapłacić kartą|czy jest płatność przy odbiorze", "vilka betalningssätt har ni|kan jag betala med kort|kan jag betala med faktura", "어떤 결제 방법이 있나요|카드로 결제할 수 있나요|계좌이체도 되나요", "які способи оплати є|чи можна оплатити карткою|чи є оплата при отриманні"]),
    ("payment_failed", ["płatność nie przeszła|moja karta została odrzucona|nie mogę zapłacić", "betalningen gick inte igenom|mitt kort nekades|jag kan inte betala", "결제가 안 돼요|카드가 거절되었어요|결제 오류가 났어요", "оплата не пройшла|мою картку відхилено|не можу оплатити"]),
    ("reset_password", ["zapomniałem hasła|jak zresetować hasło|nie mogę się zalogować", "jag har glömt mitt lösenord|hur återställer jag lösenordet|jag kan inte logga in", "비밀번호를 잊어버렸어요|비밀번호 재설정은 어떻게 하나요|로그인이 안 돼요", "я забув пароль|як скинути пароль|не можу увійти в акаунт"]),
    ("delete_account", ["chcę usunąć konto|jak skasować moje konto|proszę usunąć moje dane", "jag vill radera mitt konto|hur tar jag bort mitt konto|ta bort mina uppgifter", "계정을 삭제하고 싶어요|회원 탈퇴는 어떻게 하나요|제 정보를 지워 주세요", "хочу видалити акаунт|як видалити мій обліковий запис|видаліть мої дані"]),
    ("opening_hours", ["w jakich godzinach pracujecie|kiedy jest otwarte biuro obsługi|czy pracujecie w sobotę", "vilka är era öppettider|när har kundtjänst öppet|har ni öppet på lördag", "운영 시간이 어떻게 되나요|고객센터는 언제 열어요|토요일에도 하나요", "які у вас години роботи|коли працює підтримка|чи працюєте в суботу"]),
    ("contact_info", ["jak mogę się z wami skontaktować|jaki jest numer telefonu|podajcie adres e-mail", "hur kontaktar jag er|vilket är ert telefonnummer|vad är er e-postadress", "연락처가 어떻게 되나요|전화번호를 알려 주세요|이메일 주소가 뭐예요", "як з вами зв'язатися|який у вас номер телефону|яка ваша електронна адреса"]),
    ("damaged_item", ["produkt przyszedł uszkodzony|paczka była zniszczona|towar jest zepsuty", "varan kom trasig|paketet var skadat|produkten är söndrig", "상품이 파손되어 왔어요|택배 상자가 망가졌어요|물건이 고장 났어요", "товар прийшов пошкодженим|посилка була зламана|річ зіпсована"]),
    ("complaint", ["chcę złożyć reklamację|jestem bardzo niezadowolony|to skandaliczna obsługa", "jag vill klaga|jag är mycket missnöjd|det här är usel service", "불만을 접수하고 싶어요|정말 실망했어요|서비스가 너무 나빠요", "хочу подати скаргу|я дуже незадоволений|це жахливе обслуговування"]),
    ("human_agent", ["chcę rozmawiać z człowiekiem|połącz mnie z konsultantem|proszę o prawdziwą osobę", "jag vill prata med en människa|koppla mig till en handläggare|kan jag få prata med en person", "상담원과 이야기하고 싶어요|사람과 연결해 주세요|직원 바꿔 주세요", "хочу поговорити з людиною|з'єднайте з оператором|покличте живу людину"]),
    ("language_help", ["czy mówicie po polsku|czy mogę pisać po polsku|zmień język na polski", "pratar ni svenska|kan jag skriva på svenska|byt språk till svenska", "한국어 되나요|한국어로 써도 되나요|언어를 한국어로 바꿔 주세요", "ви розмовляєте українською|можна писати українською|змініть мову на українську"]),
];

/// The answer to a return, in each added language (the other messages stay English copies).
const RETURN_REPLY: [(&str, &str); 4] = [
    (
        "pl",
        "Każdy produkt możesz zwrócić w ciągu { $return_days } dni.",
    ),
    (
        "sv",
        "Du kan returnera varje vara inom { $return_days } dagar.",
    ),
    (
        "ko",
        "모든 상품은 { $return_days }일 이내에 반품할 수 있습니다.",
    ),
    (
        "uk",
        "Будь-який товар можна повернути протягом { $return_days } днів.",
    ),
];
const LANGUAGES: [&str; 4] = ["pl", "sv", "ko", "uk"];

/// Adds a locale to `root`: the English messages with the return answer translated, and the
/// examples above.
fn add_locale(root: &std::path::Path, index: usize) {
    let tag = LANGUAGES[index];
    let from = root.join("locales/en");
    let to = root.join(format!("locales/{tag}"));
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(&from).unwrap().flatten() {
        let mut text = std::fs::read_to_string(entry.path()).unwrap();
        if entry.file_name() == "replies.ftl" {
            let line = text
                .lines()
                .find(|l| l.starts_with("reply-return-item ="))
                .unwrap()
                .to_string();
            text = text.replace(
                &line,
                &format!("reply-return-item = {}", RETURN_REPLY[index].1),
            );
        }
        std::fs::write(to.join(entry.file_name()), text).unwrap();
    }
    let mut toml = String::new();
    for (intent, per_language) in EXAMPLES {
        let examples: Vec<String> = per_language[index]
            .split('|')
            .map(|e| format!("{e:?}"))
            .collect();
        toml.push_str(&format!(
            "[{intent}]\nexamples = [{}]\n\n",
            examples.join(", ")
        ));
    }
    let dir = root.join(format!("intents/{tag}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("support.toml"), toml).unwrap();
}

async fn version(app: &TestApp) -> Value {
    app.readyz().await["content_version"].clone()
}

async fn until_reloaded(app: &TestApp, before: &Value) {
    app.until_ready(|r| r["content_version"] != *before).await;
}

/// How often and how long to ask again while a reload may be half done (what was answered
/// in the end is what the assertions after it check).
const EVERY: Duration = Duration::from_millis(100);
const WITHIN: Duration = Duration::from_secs(20);

/// A first message from a browser that prefers English: (reply locale, reply text).
async fn first_reply(app: &TestApp, text: &str) -> (String, String) {
    let (mut customer, _) = app.hello(&["en"]).await;
    let (_, reply, _) = customer.say("1", text).await;
    (
        reply["locale"].as_str().unwrap().to_string(),
        reply["text"].as_str().unwrap().to_string(),
    )
}

const RETURNS: [&str; 4] = [
    "Dzień dobry, chciałbym zwrócić zamówienie, bo rozmiar nie pasuje",
    "Hej, jag vill returnera en tröja som jag köpte förra veckan",
    "지난주에 산 옷을 반품하고 싶어요",
    "Добрий день, я хочу повернути куртку, яку купив минулого тижня",
];

#[tokio::test]
async fn added_locales_are_detected_and_answered_after_a_live_reload_and_removed_ones_are_not() {
    let (content, app) = spawn_app_on_a_copy(|_| {}).await;
    let root = content.path().to_path_buf();

    // The demo content: a Polish customer is answered in the browser's English.
    let (locale, _) = first_reply(&app, RETURNS[0]).await;
    assert_eq!(locale, "en");

    let before = version(&app).await;
    for index in 0..LANGUAGES.len() {
        add_locale(&root, index);
    }
    until_reloaded(&app, &before).await;
    // The watcher may have seen the folders half written: wait until all four are served.
    poll_until(EVERY, WITHIN, async || {
        first_reply(&app, RETURNS[3]).await.0 == "uk"
    })
    .await;
    for (index, text) in RETURNS.iter().enumerate() {
        let (locale, reply) = first_reply(&app, text).await;
        assert_eq!(locale, LANGUAGES[index], "{text}: {reply}");
        let expected = RETURN_REPLY[index].1.split(" { ").next().unwrap();
        assert!(reply.starts_with(expected), "{text}: {reply}");
    }
    // The 13 keep theirs.
    assert_eq!(
        first_reply(&app, "Ich möchte meine Bestellung zurückgeben")
            .await
            .0,
        "de"
    );
    assert_eq!(
        first_reply(&app, "Хочу вернуть заказ, он не подошёл")
            .await
            .0,
        "ru"
    );

    // Polish removed: no longer chosen, the others still are.
    let before = version(&app).await;
    std::fs::remove_dir_all(root.join("intents/pl")).unwrap();
    std::fs::remove_dir_all(root.join("locales/pl")).unwrap();
    until_reloaded(&app, &before).await;
    poll_until(EVERY, WITHIN, async || {
        first_reply(&app, RETURNS[0]).await.0 != "pl"
    })
    .await;
    assert_eq!(first_reply(&app, RETURNS[0]).await.0, "en");
    assert_eq!(first_reply(&app, RETURNS[1]).await.0, "sv");
}

/// The demo content with the four locales above added passes `check`; it is left in
/// `target/content-17` for the measurements of docs/ACCURACY.md and docs/BENCHMARKS.md
/// (`langid_accuracy --content`).
#[test]
fn the_demo_content_with_four_more_locales_passes_check_and_is_kept_for_the_measurements() {
    let content = copy_of_content();
    for index in 0..LANGUAGES.len() {
        add_locale(content.path(), index);
    }
    let output = switchboard_command()
        .args(["check", "--content"])
        .arg(content.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let out = crate::helpers::repo_root().join("target/content-17");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::rename(content.path(), &out)
        .or_else(|_| {
            std::process::Command::new("cp")
                .arg("-r")
                .arg(content.path())
                .arg(&out)
                .status()
                .map(|_| ())
        })
        .unwrap();
}

/// `check` says, per locale, how it is chosen and how much of it is translated: here Polish,
/// detected from text, whose messages are English copies except the return answer; Arabic is
/// written right to left.
#[test]
fn check_tells_the_editor_what_each_locale_can_do() {
    let content = copy_of_content();
    add_locale(content.path(), 0);
    let output = switchboard_command()
        .args(["check", "--format", "json", "--content"])
        .arg(content.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let row = |tag: &str| {
        report["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["locale"] == tag)
            .cloned()
            .unwrap_or_else(|| panic!("{tag} missing: {out}"))
    };
    let pl = row("pl");
    assert_eq!(pl["detected"], "text (n-grams)", "{pl}");
    assert_eq!(pl["plural_rules"], true);
    assert_eq!(pl["intents_translated"], 1.0);
    let messages = pl["messages_translated"].as_f64().unwrap();
    assert!(messages > 0.0 && messages < 0.1, "{pl}");
    assert_eq!(pl["direction"], "ltr");
    assert_eq!(row("ar")["direction"], "rtl");
    assert_eq!(row("en")["messages_translated"], 1.0);
}
