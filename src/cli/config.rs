//! `config`: the station's settings, set and read one at a time.

use stationdesk::store::{Store, StoreError};
use stationdesk::tr;

use crate::*;

pub(crate) fn config(store: &mut Store, action: ConfigAction) -> Result<(), Failure> {
    match action {
        ConfigAction::Set { key, value } => match key.as_str() {
            "county-recipient" => {
                store.set_county_recipient(&value)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "mediation-committee" => {
                store.set_mediation_committee(&value)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "town" => {
                store.set_town(&value)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "case-pattern" => {
                store.set_case_pattern(&value)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "consult-quota" | "report-quota" => {
                let quota: u32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|q| (1..=100).contains(q))
                    .ok_or_else(|| Failure::Message(tr!("cli.bad_quota", value = value)))?;
                store.set_setting(&key.replace('-', "_"), &quota.to_string())?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "roster-slots" => {
                let value = value.trim();
                if value != "day" && value != "morning,afternoon" {
                    return Err(Failure::Message(tr!("cli.bad_slots", value = value)));
                }
                store.set_setting("roster_slots", value)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "signin-window" => {
                let minutes: u32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|m| (10..=240).contains(m))
                    .ok_or_else(|| Failure::Message(tr!("cli.bad_window", value = value)))?;
                store.set_setting("signin_window", &minutes.to_string())?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "require-pin" => {
                let on = match value.trim() {
                    "on" | "1" | "yes" => "1",
                    "off" | "0" | "no" => "0",
                    _ => return Err(Failure::Message(tr!("cli.bad_switch", value = value))),
                };
                store.set_setting("require_pin", on)?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            "case-days" | "reply-days" | "follow-up-days" => {
                let days: u32 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| (1..=365).contains(d))
                    .ok_or_else(|| Failure::Message(tr!("cli.bad_days", value = value)))?;
                store.set_setting(&key.replace('-', "_"), &days.to_string())?;
                println!("{}", tr!("cli.config_set", key = key));
            }
            _ => return Err(Failure::Message(tr!("cli.unknown_setting", key = key))),
        },
        ConfigAction::Get { key } => match key.as_str() {
            "county-recipient" => {
                let station = store.station()?.ok_or(StoreError::NotInitialised)?;
                println!("{}", station.county_recipient.unwrap_or_default());
            }
            "case-pattern" => println!("{}", store.case_policy()?.pattern),
            "mediation-committee" => println!("{}", store.mediation_committee()?),
            "town" => println!("{}", store.town()?),
            "roster-slots" => println!(
                "{}",
                store
                    .roster_slots()?
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "case-days" => println!("{}", store.case_policy()?.days),
            "signin-window" => println!("{}", store.sign_in_window()?),
            "require-pin" => println!("{}", if store.pins_required()? { "on" } else { "off" }),
            "consult-quota" => println!(
                "{}",
                store
                    .quota(stationdesk::clock::local_now())?
                    .consultations_quota
            ),
            "report-quota" => println!(
                "{}",
                store.quota(stationdesk::clock::local_now())?.reports_quota
            ),
            "reply-days" => println!("{}", store.due_policy()?.reply_days),
            "follow-up-days" => println!("{}", store.due_policy()?.follow_up_days),
            _ => return Err(Failure::Message(tr!("cli.unknown_setting", key = key))),
        },
    }
    Ok(())
}
