//! End to end: the real binary in a pseudo-terminal (tmux), driven by keys the way a person
//! would: the first-run wizard, adding a member with a Chinese name, quitting, starting again.
//! Chinese text is sent as UTF-8, the way an IME delivers committed text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let found = Command::new("tmux")
            .arg("-V")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            found,
            "the end-to-end tests need tmux (.ci/run installs it)"
        );
        Tmux {
            socket: format!("stationdesk-{name}-{}", std::process::id()),
        }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn start(&self, db: &Path) {
        self.start_with(db, "");
    }

    /// Starts the desk with extra environment (`NAME=value …`), and types the station
    /// passphrase where it is asked for, as a person does: once for a station file that is
    /// there, twice (after the proposal of one) for a new one.
    fn start_with(&self, db: &Path, env: &str) {
        let new = !db.exists();
        let command = format!(
            "env -u STATIONDESK_LANG -u STATIONDESK_DB -u STATIONDESK_PASSPHRASE {env} {} --db '{}'",
            common::bin(),
            db.display()
        );
        let out = self.tmux(&[
            "new-session",
            "-d",
            "-s",
            "desk",
            "-x",
            "100",
            "-y",
            "30",
            &command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The desk's own full-screen question, with its keys on the bar.
        let asked = self.wait_for("工作站口令");
        assert!(asked.contains("F1 帮助"), "{asked}");
        if new {
            assert!(asked.contains("四个拼音词"), "{asked}");
        }
        self.keys(&[common::PASSPHRASE, "Enter"]);
        if new {
            self.wait_for("*".repeat(common::PASSPHRASE.len()).as_str());
            self.keys(&[common::PASSPHRASE, "Enter"]);
        }
    }

    /// Starts `command` (a shell command line) in the pseudo-terminal, 100×30.
    fn start_command(&self, command: &str) {
        let out = self.tmux(&[
            "new-session",
            "-d",
            "-s",
            "desk",
            "-x",
            "100",
            "-y",
            "30",
            command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "desk"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
        // An Escape and the next key read together are one Alt-key to the terminal: leave the
        // desk time to read the Escape alone, as a person's next key never comes that soon.
        if keys.last() == Some(&"Escape") {
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Types text literally, as committed IME text arrives: a phrase at a time (tmux drops
    /// what goes past its input buffer when one send-keys carries a long text).
    fn type_text(&self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(40) {
            let piece: String = piece.iter().collect();
            assert!(self
                .tmux(&["send-keys", "-t", "desk", "-l", &piece])
                .status
                .success());
        }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "desk"]).stdout)
            .into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                // The terminal may have been caught halfway through a redraw: look again once
                // it has settled, and take that screen.
                std::thread::sleep(Duration::from_millis(150));
                let settled = self.screen();
                if settled.contains(text) {
                    return settled;
                }
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.tmux(&["has-session", "-t", "desk"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "the desk did not quit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// About `chars` characters of minutes, every sentence numbered so that a lost piece shows.
fn long_paragraph(chars: usize) -> String {
    let mut text = String::new();
    let mut n = 1;
    while text.chars().count() < chars {
        text.push_str(&format!(
            "第{n}点：居民代表提出增设夜间停车位，学校同意错时开放。"
        ));
        n += 1;
    }
    text.chars().take(chars).collect()
}

#[test]
fn first_run_wizard_then_a_member_survives_a_restart() {
    let fx = common::Fixture::new();
    let tmux = Tmux::new("wizard");
    tmux.start(&fx.path);
    tmux.wait_for("欢迎使用委员工作站值班台");
    tmux.type_text("青溪镇政协委员工作站");
    tmux.keys(&["Tab"]);
    tmux.type_text("QX01");
    tmux.keys(&["Tab"]);
    tmux.type_text("清河县");
    tmux.keys(&["Tab"]);
    tmux.type_text("青溪镇");
    tmux.keys(&["C-s"]);
    tmux.wait_for("在任委员 0 人");

    tmux.keys(&["m"]);
    tmux.wait_for("查找（共 0 人）");
    tmux.keys(&["IC"]); // Insert
    tmux.wait_for("新增委员");
    tmux.type_text("李秀兰");
    tmux.keys(&["Tab", "Right", "Right", "Tab"]);
    tmux.type_text("医药");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for("已保存：李秀兰");
    assert!(screen.contains("医药卫生界"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("在任委员 1 人");
    tmux.keys(&["q"]);
    tmux.wait_for_exit();

    // Start again: no wizard, and the member is there.
    tmux.start(&fx.path);
    tmux.wait_for("在任委员 1 人");
    // The daily backup runs in the background and says when it is done.
    tmux.wait_for("已自动备份");
    tmux.keys(&["m"]);
    tmux.type_text("lxl");
    let screen = tmux.wait_for("查找（共 1 人）");
    assert!(screen.contains("李秀兰"), "{screen}");
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();

    let store = common::try_open(&fx.path).unwrap();
    assert_eq!(
        store.station().unwrap().unwrap().name,
        "青溪镇政协委员工作站"
    );
    let members = store.members_after(&Default::default(), None, 10).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].fields.name, "李秀兰");
    assert_eq!(
        members[0].fields.gender,
        stationdesk::domain::Gender::Female
    );
    // The desk made its daily backup on the second start.
    assert_eq!(
        stationdesk::store::list_backups(&stationdesk::store::backup_dir_for(&fx.path)).len(),
        1
    );
}

#[test]
fn a_walk_in_is_registered_found_answered_and_closed() {
    let fx = common::Fixture::new();
    let demo = common::command()
        .arg("--db")
        .arg(&fx.path)
        .args(["demo", "--members", "5", "--records", "0"])
        .output()
        .unwrap();
    assert!(demo.status.success());
    let tmux = Tmux::new("walkin");
    tmux.start(&fx.path);
    tmux.wait_for("今日来访 0 件");

    // Quick entry while nobody is signed in: the desk asks who is on duty first, then the
    // form opens. Category by typing, the request, save.
    tmux.keys(&["F3"]);
    tmux.wait_for("先签到，再办理");
    tmux.keys(&["Enter"]);
    tmux.wait_for("登记来访");
    // The form's title and its duty line may reach the pane in two updates.
    tmux.wait_for("值班：");
    tmux.type_text("停车");
    tmux.keys(&["Tab"]);
    tmux.type_text("院子围起来以后没地方停车");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for("已登记，");
    assert!(screen.contains("交通出行/停"), "{screen}");

    // Find it with the search box.
    tmux.keys(&["/"]);
    tmux.wait_for("查找：");
    tmux.type_text("没地方");
    tmux.wait_for("院子围起来以后没地方停车");
    tmux.keys(&["Enter"]);
    tmux.wait_for("来访详情");

    // Refer it, give feedback, follow up, close.
    tmux.keys(&["2"]);
    tmux.wait_for("转交部门");
    tmux.type_text("街道城管科");
    tmux.keys(&["C-s"]);
    tmux.wait_for("办理中");
    tmux.keys(&["3"]);
    tmux.wait_for("反馈内容");
    tmux.type_text("已协调学校夜间共享车位");
    tmux.keys(&["C-s"]);
    tmux.wait_for("现在是「已答复」");
    tmux.keys(&["4"]);
    tmux.wait_for("满意度");
    tmux.keys(&["C-s"]);
    tmux.wait_for("现在是「已回访」");
    // Closing says what it records and asks once.
    tmux.keys(&["5"]);
    tmux.wait_for("确定办结吗");
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("已办结。");
    assert!(screen.contains("已回访 -> 已办结"), "{screen}");
    // One Escape at a time: two sent together can reach the desk as one Alt-Escape.
    tmux.keys(&["Escape"]);
    tmux.wait_for("范围：全部");
    tmux.keys(&["Escape"]);
    tmux.wait_for("今日来访 1 件");
    tmux.keys(&["q"]);
    tmux.wait_for_exit();

    let store = common::try_open(&fx.path).unwrap();
    let hits = store.search("共享车位", None, 5).unwrap();
    assert_eq!(hits.len(), 1);
    let intake = store
        .get::<stationdesk::domain::Intake>(hits[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(intake.state, stationdesk::domain::IntakeState::Closed);
}

#[test]
fn a_visit_becomes_a_mediation_case_with_a_written_agreement() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        let mut lawyer = common::member("王建国");
        lawyer.mediator = true;
        store.add_member(&lawyer).unwrap();
    }
    let tmux = Tmux::new("case");
    tmux.start(&fx.path);
    tmux.wait_for("今日来访 0 件");
    // The mediator signs in, then registers the walk-in.
    tmux.keys(&["s"]);
    tmux.wait_for("王建国");
    tmux.keys(&["Enter"]);
    tmux.wait_for("值班：王建国");
    tmux.keys(&["F3"]);
    tmux.wait_for("登记来访");
    tmux.type_text("邻里");
    tmux.keys(&["Tab"]);
    tmux.type_text("楼上装修把我家天花板弄裂了");
    tmux.keys(&["Tab"]);
    tmux.type_text("刘志强");
    tmux.keys(&["C-s"]);
    tmux.wait_for("已登记，");
    tmux.keys(&["Enter"]);
    tmux.wait_for("来访详情");
    // 7: to mediation; the form is filled from the visit.
    tmux.keys(&["7"]);
    // The case form is in sections: the case first, the parties (filled from the visit) next.
    tmux.wait_for("来访转调解");
    tmux.wait_for("1 案件");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab"]);
    tmux.type_text("邻里");
    tmux.keys(&["Tab"]);
    tmux.wait_for("当事人1 姓名");
    tmux.keys(&["Tab"]);
    tmux.wait_for("刘志强");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab"]);
    tmux.type_text("陈海");
    tmux.keys(&["C-s"]);
    let screen = tmux.wait_for("已受理，案件编号 QX01-");
    assert!(screen.contains("被申请人  陈海"), "{screen}");
    // 1: a session with notes typed in Chinese.
    tmux.keys(&["1"]);
    tmux.wait_for("参加人员");
    tmux.keys(&["Tab", "Tab", "Tab"]);
    tmux.type_text("双方到场，陈海同意修复并补偿");
    tmux.keys(&["C-s"]);
    tmux.wait_for("案件状态：调解中");
    // 3: an agreement with its terms, method and deadline.
    tmux.keys(&["3"]);
    tmux.wait_for("调解结果");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("陈海三十日内修复天花板并补偿3000元");
    tmux.keys(&["Tab"]);
    tmux.type_text("现金");
    tmux.keys(&["Tab"]);
    let deadline = chrono::Local::now().date_naive() + chrono::Duration::days(30);
    tmux.type_text(&deadline.format("%Y-%m-%d").to_string());
    tmux.keys(&["C-s"]);
    tmux.wait_for("确定结案吗");
    tmux.keys(&["y"]);
    tmux.wait_for("案件状态：已结案");
    // w: the agreement document.
    // It asks how the date under the seal is written; y prints the conclusion date.
    tmux.keys(&["w"]);
    tmux.wait_for("留空");
    tmux.keys(&["y"]);
    tmux.wait_for("文档已生成");
    tmux.wait_for("o 打开");
    tmux.keys(&["Escape"]);
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();

    let store = common::try_open(&fx.path).unwrap();
    let hits = store
        .search("陈海", Some(stationdesk::domain::RecordKind::Case), 5)
        .unwrap();
    assert_eq!(hits.len(), 1);
    let case = store
        .get::<stationdesk::domain::case::MediationCase>(hits[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(case.sessions.len(), 1);
    let intake = store
        .get::<stationdesk::domain::Intake>(case.links[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(intake.links[0].id, case.meta.id);
    let file = fx
        .dir
        .path()
        .join("documents")
        .join(format!("人民调解协议书-{}.docx", case.case_no));
    let text = stationdesk::documents::docx_text(&std::fs::read(file).unwrap()).unwrap();
    assert!(text
        .iter()
        .any(|p| p == "陈海三十日内修复天花板并补偿3000元"));
    assert!(text.iter().any(|p| p.starts_with("申请人：刘志强")));
}

#[test]
fn a_month_rotation_is_generated_and_signing_in_marks_the_day_attended() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        for name in ["李秀兰", "王建国", "张明"] {
            store.add_member(&common::member(name)).unwrap();
        }
    }
    let tmux = Tmux::new("roster");
    // A Monday morning, whatever the real clock says.
    tmux.start_with(&fx.path, "STATIONDESK_FAKE_NOW='2026-11-23 09:30'");
    tmux.wait_for("今日来访 0 件");
    tmux.keys(&["r"]);
    tmux.wait_for("2026年11月");
    // Generating is a change: 王建国 signs in for it (before the roster, so no shift yet).
    tmux.keys(&["g"]);
    tmux.wait_for("先签到，再办理");
    tmux.type_text("wjg");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("参加委员");
    assert!(screen.contains("李秀兰"), "{screen}");
    tmux.keys(&["C-s"]);
    tmux.wait_for("排班预览");
    tmux.keys(&["Enter"]);
    tmux.wait_for("已生成");
    tmux.wait_for("上 李秀兰");
    tmux.keys(&["Escape"]);
    tmux.wait_for("今日来访 0 件");
    // 李秀兰 signs in: her morning shift is attended.
    tmux.keys(&["s"]);
    tmux.wait_for("王建国");
    tmux.type_text("lxl");
    tmux.keys(&["Enter"]);
    tmux.wait_for("上午值班到岗（09:3");
    tmux.keys(&["r"]);
    tmux.wait_for("上+李秀兰");
    tmux.keys(&["Enter"]);
    tmux.wait_for("已到岗");
    tmux.wait_for("2026-11-23  星期一");
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();

    let store = common::try_open(&fx.path).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let today = store.shifts_between(day, day).unwrap();
    assert_eq!(today.len(), 2);
    assert_eq!(
        today[0].state,
        stationdesk::domain::roster::ShiftState::Attended
    );
    let november = store
        .shifts_between(day, chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
        .unwrap();
    // Six working days from the 23rd to the 30th, two slots each.
    assert_eq!(november.len(), 12);
}

impl Tmux {
    /// The desk's process id (the pane's).
    fn pid(&self) -> u32 {
        let out = self.tmux(&["display-message", "-p", "-t", "desk", "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }
}

#[test]
fn two_visits_become_a_topic_consulted_with_minutes_and_the_count_rises() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        for name in ["李秀兰", "王建国", "张明"] {
            store.add_member(&common::member(name)).unwrap();
        }
        for request in ["小区院子围起来以后没地方停车", "晚上停车只能停到马路边"]
        {
            store
                .add_intake(&stationdesk::domain::IntakeFields {
                    visited_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                        .unwrap()
                        .and_hms_opt(10, 0, 0)
                        .unwrap(),
                    visitors: 1,
                    category: "交通出行/停车".into(),
                    request: request.into(),
                    ..Default::default()
                })
                .unwrap();
        }
    }
    let tmux = Tmux::new("consult");
    tmux.start_with(&fx.path, "STATIONDESK_FAKE_NOW='2026-11-23 09:30'");
    tmux.wait_for("今日来访 0 件");
    tmux.keys(&["k"]);
    tmux.wait_for("协商 0/4 次");
    tmux.keys(&["Escape"]);
    // Back home first: an Escape and a key sent together reach the desk as Alt and the key.
    tmux.wait_for("今日来访 0 件");
    // The visit list: mark both, t.
    tmux.keys(&["v"]);
    tmux.wait_for("没地方停车");
    tmux.keys(&["Space", "Space"]);
    tmux.wait_for("已选 2 件");
    tmux.keys(&["t"]);
    tmux.wait_for("先签到，再办理");
    tmux.keys(&["Enter"]);
    tmux.wait_for("由 2 件来访形成议题");
    tmux.keys(&["BSpace", "BSpace"]);
    tmux.type_text("小区停车难");
    tmux.keys(&["C-s"]);
    tmux.wait_for("议题已保存");
    // Decide, research, a meeting.
    tmux.keys(&["d"]);
    tmux.wait_for("确定单位");
    tmux.keys(&["Tab"]);
    tmux.type_text("工作站联席会议");
    tmux.keys(&["C-s"]);
    tmux.wait_for("确定议题      2026-11-23");
    tmux.keys(&["r"]);
    tmux.wait_for("调研发现");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("学校夜间车位空置");
    tmux.keys(&["C-s"]);
    tmux.wait_for("调研记录（1 条）");
    tmux.keys(&["m"]);
    tmux.wait_for("新协商会议");
    tmux.keys(&["Tab", "Tab", "Tab"]);
    tmux.type_text("李秀兰");
    tmux.keys(&["Tab", "Tab", "Tab"]);
    tmux.type_text("李秀兰");
    tmux.keys(&["Enter"]);
    tmux.type_text("王建国");
    tmux.keys(&["C-s"]);
    tmux.wait_for("协商会议已保存");
    // The minutes, typed in Chinese in the full-screen editor.
    tmux.keys(&["e"]);
    tmux.wait_for("共 0 字");
    tmux.type_text("会议围绕小区停车难开展协商。");
    tmux.keys(&["Enter"]);
    tmux.type_text("同意与学校共享夜间车位。");
    tmux.wait_for("共 26 字");
    // A long paragraph wraps on screen and is there whole.
    tmux.keys(&["Enter"]);
    let long = long_paragraph(500);
    tmux.type_text(&long);
    let screen = tmux.wait_for("共 526 字");
    let shown: String = screen.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        shown.contains(&long),
        "the whole paragraph on screen:\n{screen}"
    );
    tmux.keys(&["C-s"]);
    tmux.wait_for("会议纪要已保存");
    tmux.keys(&["Escape"]);
    // A recommendation, sent and answered.
    tmux.keys(&["a"]);
    tmux.wait_for("协商成果");
    tmux.type_text("与学校协商夜间共享停车位");
    tmux.keys(&["C-s"]);
    tmux.wait_for("协商成果（1 条）");
    tmux.keys(&["s"]);
    tmux.wait_for("报送单位");
    tmux.type_text("街道办事处");
    tmux.keys(&["C-s"]);
    tmux.wait_for("已报送");
    tmux.keys(&["f"]);
    tmux.wait_for("反馈单位");
    tmux.keys(&["Tab"]);
    tmux.type_text("街道办事处");
    tmux.keys(&["C-s"]);
    tmux.wait_for("采纳]");
    tmux.keys(&["Escape"]);
    tmux.wait_for("协商 1/4 次");
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();

    let store = common::try_open(&fx.path).unwrap();
    let topics = store.topics(10).unwrap();
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0].intakes.len(), 2);
    let meeting = store.meetings_on(topics[0].meta.id).unwrap().remove(0);
    assert_eq!(
        meeting.minutes,
        format!("会议围绕小区停车难开展协商。\n同意与学校共享夜间车位。\n{long}")
    );
    assert!(meeting.recommendations[0].feedback.is_some());
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    assert_eq!(store.quota(now).unwrap().consultations, 1);
}

#[test]
fn minutes_typed_before_a_kill_are_offered_back() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        let topic = store
            .add_topic(
                stationdesk::domain::consult::Topic::new(
                    "停车",
                    "",
                    Default::default(),
                    "",
                    vec![],
                )
                .unwrap(),
            )
            .unwrap();
        store
            .save_meeting(stationdesk::domain::consult::Meeting {
                meta: stationdesk::domain::RecordMeta::unsaved(),
                held_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                    .unwrap()
                    .and_hms_opt(14, 0, 0)
                    .unwrap(),
                place: "议事厅".into(),
                form: Default::default(),
                host: "李秀兰".into(),
                topics: vec![topic.meta.id],
                members: vec![],
                guests: vec![],
                minutes: String::new(),
                recommendations: vec![],
            })
            .unwrap();
    }
    let tmux = Tmux::new("draft");
    tmux.start(&fx.path);
    tmux.wait_for("今日来访 0 件");
    tmux.keys(&["k"]);
    tmux.wait_for("协商议事");
    tmux.keys(&["2", "Enter"]);
    tmux.wait_for("议事厅");
    tmux.keys(&["e"]);
    tmux.wait_for("共 0 字");
    tmux.type_text("停电前写下的纪要");
    tmux.wait_for("共 8 字");
    // The draft is kept within a few seconds; then the power goes.
    let store = common::try_open(&fx.path).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    while !store
        .pending_drafts()
        .unwrap()
        .iter()
        .any(|(_, _, text)| text == "停电前写下的纪要")
    {
        assert!(
            Instant::now() < deadline,
            "no draft of the whole text was saved"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(store);
    let pid = tmux.pid();
    assert!(Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(300));
    let _ = tmux.tmux(&["kill-server"]);
    // The next start offers the draft back.
    let tmux = Tmux::new("draft-again");
    tmux.start(&fx.path);
    tmux.wait_for("恢复吗");
    tmux.keys(&["y"]);
    tmux.wait_for("停电前写下的纪要");
    tmux.wait_for("已恢复未保存的纪要草稿");
    tmux.keys(&["C-s"]);
    tmux.wait_for("会议纪要已保存");
    tmux.keys(&["Escape"]);
    tmux.wait_for("办理记录");
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();
    let store = common::try_open(&fx.path).unwrap();
    let meeting = store.meetings(5).unwrap().remove(0);
    assert_eq!(meeting.minutes, "停电前写下的纪要");
    assert!(store.pending_drafts().unwrap().is_empty());
}

/// A member records a proposal away from the desk, then opens her own record from the member
/// list and writes it as a document, the way a person would in the terminal.
#[test]
fn an_activity_is_recorded_and_shows_in_the_members_record() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        for name in ["李秀兰", "王建国"] {
            store.add_member(&common::member(name)).unwrap();
        }
    }
    let tmux = Tmux::new("record");
    tmux.start_with(&fx.path, "STATIONDESK_FAKE_NOW='2026-11-23 09:30'");
    tmux.wait_for("近 12 个月来访");
    tmux.keys(&["s"]);
    tmux.wait_for("王建国");
    tmux.type_text("lxl");
    tmux.keys(&["Enter"]);
    tmux.wait_for("值班委员：李秀兰");
    tmux.keys(&["a"]);
    tmux.wait_for("还没有履职活动");
    tmux.keys(&["F2"]);
    tmux.wait_for("登记履职活动");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text("关于加装电梯的提案");
    tmux.keys(&["C-s"]);
    tmux.wait_for("提案  关于加装电梯的提案");
    tmux.keys(&["Escape"]);
    tmux.wait_for("履职活动（1 条）");
    tmux.keys(&["Escape"]);
    tmux.wait_for("近 12 个月来访");
    tmux.keys(&["m"]);
    tmux.wait_for("委员信息库");
    tmux.type_text("lxl");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("履职档案：李秀兰");
    assert!(screen.contains("2026年度考核"), "{screen}");
    assert!(screen.contains("+ 提交提案 1/1"), "{screen}");
    tmux.keys(&["w"]);
    tmux.wait_for("李秀兰委员2026年履职档案.docx");
    tmux.keys(&["Escape"]);
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();
    let written = fx
        .dir
        .path()
        .join("documents")
        .join("李秀兰委员2026年履职档案.docx");
    let text = stationdesk::documents::docx_text(&std::fs::read(written).unwrap()).unwrap();
    assert!(
        text.iter().any(|p| p.contains("关于加装电梯的提案")),
        "{text:?}"
    );
}

#[test]
fn the_county_desk_imports_a_stick_and_finds_a_visit_by_two_characters() {
    use stationdesk::bundle::{self, ExportOptions};
    let dir = tempfile::tempdir().unwrap();
    let c = common::county::county(dir.path(), "county");
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    for (file, name, code, request) in [
        (
            "a.db",
            "青溪镇政协委员工作站",
            "QX01",
            "小区停车位不够，车停到消防通道",
        ),
        (
            "b.db",
            "河东街道政协委员工作站",
            "HD02",
            "楼道灯坏了三个月没人修",
        ),
    ] {
        let mut store = common::craft::station_at(&dir.path().join(file), name, code, &c.recipient);
        store
            .add_intake(&stationdesk::domain::IntakeFields {
                visited_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                visitor_name: "王大爷".into(),
                phone: "13912345678".into(),
                visitors: 1,
                category: "其他".into(),
                request: request.into(),
                ..Default::default()
            })
            .unwrap();
        bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    }
    let command = format!(
        "env -u STATIONDESK_LANG STATIONDESK_PASSPHRASE='{}' {} county desk --county-db '{}' --identity '{}'",
        common::PASSPHRASE,
        common::bin(),
        c.db.display(),
        c.key.display()
    );
    let tmux = Tmux::new("county");
    tmux.start_command(&command);
    let first = tmux.wait_for("还没有导入任何工作站的批次");
    assert!(first.contains("F1/? 帮助"), "{first}");
    tmux.keys(&["i"]);
    tmux.wait_for("文件夹：");
    tmux.type_text(&stick.display().to_string());
    tmux.keys(&["Enter"]);
    let plan = tmux.wait_for("共 2 个批次");
    assert_eq!(plan.matches("将导入（新的工作站）").count(), 2, "{plan}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("导入完成：成功 2 个，拒绝 0 个");
    tmux.keys(&["Escape"]);
    let stations = tmux.wait_for("各工作站：2 个");
    assert!(
        stations.contains("QX01") && stations.contains("HD02"),
        "{stations}"
    );
    tmux.keys(&["/"]);
    tmux.wait_for("查找：");
    tmux.type_text("停车");
    let found = tmux.wait_for("找到 1 条");
    assert!(found.contains("QX01"), "{found}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("消防通道");
    tmux.keys(&["F10"]);
    tmux.wait_for_exit();
    // Opened again: the county file kept what was imported.
    tmux.start_command(&command);
    tmux.wait_for("各工作站：2 个");
    tmux.keys(&["q"]);
    tmux.wait_for_exit();
}
