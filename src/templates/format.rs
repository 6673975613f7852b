//! Numbers and times in each locale's conventions, with ICU4X's compiled CLDR data.

use fluent_bundle::types::FluentNumber;
use fluent_bundle::FluentValue;
use icu_datetime::fieldsets::T;
use icu_datetime::input::Time;
use icu_datetime::NoCalendarFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use intl_memoizer::concurrent::IntlLangMemoizer;
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

/// Fractions digits shown when a message does not say (as `Intl.NumberFormat` does).
const DEFAULT_MAX_FRACTION_DIGITS: usize = 3;

fn icu_locale(locale: &LanguageIdentifier) -> Locale {
    locale
        .to_string()
        .parse::<Locale>()
        .unwrap_or(Locale::UNKNOWN)
}

/// A decimal formatter per bundle language, memoised by fluent's memoizer.
struct LocaleDecimal(DecimalFormatter);

impl Memoizable for LocaleDecimal {
    type Args = ();
    type Error = String;

    fn construct(lang: LanguageIdentifier, _args: ()) -> Result<Self, String> {
        DecimalFormatter::try_new(icu_locale(&lang).into(), Default::default())
            .map(LocaleDecimal)
            .map_err(|e| e.to_string())
    }
}

fn decimal_of(number: &FluentNumber) -> Option<Decimal> {
    let mut decimal =
        Decimal::try_from_f64(number.value, fixed_decimal::FloatPrecision::RoundTrip).ok()?;
    let max = number
        .options
        .maximum_fraction_digits
        .unwrap_or(DEFAULT_MAX_FRACTION_DIGITS)
        .max(number.options.minimum_fraction_digits.unwrap_or(0));
    decimal.round(-(max.min(20) as i16));
    decimal.absolute.trim_end();
    if let Some(min) = number.options.minimum_fraction_digits {
        decimal.pad_end(-(min.min(20) as i16));
    }
    Some(decimal)
}

/// The formatter fluent calls for every value it prints.
pub(super) fn fluent_formatter(value: &FluentValue, memoizer: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let decimal = decimal_of(number)?;
    memoizer
        .with_try_get::<LocaleDecimal, _, _>((), |f| f.0.format(&decimal).to_string())
        .ok()
}

/// A number as `locale` writes it (grouping, decimal separator, digits).
pub fn format_number(locale: &LanguageIdentifier, value: f64, fraction_digits: usize) -> String {
    let mut number = FluentNumber::from(value);
    number.options.minimum_fraction_digits = Some(fraction_digits);
    number.options.maximum_fraction_digits = Some(fraction_digits);
    let memoizer = IntlLangMemoizer::new(locale.clone());
    fluent_formatter(&FluentValue::Number(number), &memoizer).unwrap_or_else(|| value.to_string())
}

/// A time of day as `locale` writes it ("8:00 AM", "08:00", "上午8:00").
pub fn format_time(locale: &LanguageIdentifier, hour: u8, minute: u8) -> String {
    let fallback = format!("{hour:02}:{minute:02}");
    let Ok(time) = Time::try_new(hour, minute, 0, 0) else {
        return fallback;
    };
    match NoCalendarFormatter::try_new(icu_locale(locale).into(), T::hm()) {
        Ok(formatter) => formatter.format(&time).to_string(),
        Err(_) => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unic_langid::langid;

    #[test]
    fn numbers_follow_the_locale() {
        assert_eq!(format_number(&langid!("en"), 1234.5, 2), "1,234.50");
        assert_eq!(format_number(&langid!("fr"), 1234.5, 2), "1\u{202f}234,50");
        assert_eq!(format_number(&langid!("hi"), 1234567.0, 0), "12,34,567");
        assert_eq!(format_number(&langid!("de"), 3.0, 0), "3");
        assert_eq!(format_number(&langid!("ar-EG"), 4.95, 2), "٤٫٩٥");
    }

    #[test]
    fn times_follow_the_locale() {
        assert_eq!(format_time(&langid!("de"), 20, 0), "20:00");
        assert_eq!(format_time(&langid!("en"), 20, 0), "8:00\u{202f}PM");
    }
}
