using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Demo;

public static partial class DemoDataSet
{
    private sealed partial class Script
    {
        private static Classification Classified(OecdLevel level, EuCriterion[] criteria, params HarmType[] harms) => new(level, criteria, harms);

        private void ReportIncident(
            string key, DateTimeOffset at, Actor actor, ReporterRole role, string title, string description, DateTimeOffset occurred, DateTimeOffset aware,
            string[] jurisdictions, (string System, string? Version)[] systems, Sector sector, Classification classification, int? people,
            CausalLink link, SeverityGrade? grade) =>
            b.Plan(at, (builder, t) => new ReportIncident(
                Id(key), title, description, occurred, aware, jurisdictions,
                systems.Select(s => Involve(builder, s.System, s.Version)).ToArray(),
                sector, classification, people, role, link, grade, actor, t));

        private void Evidence(string key, DateTimeOffset at, Actor actor, string sha256, long size, string mediaType, EvidenceKind kind, string location, string description) =>
            b.Plan(at, t => new AttachEvidence(Id(key), sha256, size, mediaType, kind, location, description, actor, t));

        private void External(string key, DateTimeOffset at, Actor actor, ExternalDatabase database, string? externalId, string? url, string note) =>
            b.Plan(at, t => new LinkIncident(Id(key), LinkKind.SameAsExternal, null, database, externalId, url, note, actor, t));

        private void Assign(string key, string assignment, DateTimeOffset at, Actor actor, string party, PartyRole role, AccountabilityBasis basis, decimal share, AccountabilityStanding standing, string rationale) =>
            b.Plan(at, t => new AssignAccountability(Id(key), Id(assignment), Id(party), role, basis, share, standing, rationale, actor, t));

        private void Loss(string key, string loss, DateTimeOffset at, Actor actor, int deaths, int injuries, Money? financial, Money? property, int? people, LossConfidence confidence, string description, string? source, string? supersedes = null) =>
            b.Plan(at, t => new RecordLoss(Id(key), Id(loss), deaths, injuries, financial, property, people, confidence, description, source, supersedes is null ? null : Id(supersedes), actor, t));

        private void Action(string key, string action, DateTimeOffset at, Actor actor, CorrectiveActionKind kind, CorrectiveActionStatus status, string description, string? system) =>
            b.Plan(at, t => new RecordCorrectiveAction(Id(key), Id(action), kind, status, description, system is null ? null : Id(system), actor, t));

        private void NotifyAuthority(string key, string notification, DateTimeOffset at, Actor actor, Recipient authority, string name, string jurisdiction, ReportType type, string? reference) =>
            b.Plan(at, t => new NotifyRegulator(Id(key), Id(notification), authority, name, jurisdiction, type, reference, actor, t));

        private void Amend(string key, DateTimeOffset at, Actor actor, ReportType type, string summary, IncidentRevision? revision = null) =>
            b.Plan(at, t => new AmendReport(Id(key), type, summary, revision, null, actor, t));

        /// <summary>Modelled on the 2015 UK robot-assisted heart surgery death (seed 000; guancha.cn 2018-11-08).</summary>
        public void RoboticSurgeryDeath()
        {
            const string K = "incident:surgery";
            ReportIncident(
                K, b.At(11, 14), Northgate, ReporterRole.Deployer,
                "Patient died after robot-assisted mitral valve repair",
                "During a robot-assisted mitral valve repair the console surgeon lost camera view twice and a suture was misplaced after an instrument collision; the team converted to open surgery and the patient died five days later. Modelled on the first UK death linked to robotic heart surgery (2015).",
                b.At(10, 9), b.At(10, 18), ["GB"], [("sys:aurasurg", null)], Sector.Healthcare,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical), 1,
                new CausalLink(CausalRelation.ContributingFactor, "Instrument collisions and loss of camera view on the robotic platform contributed to a misplaced suture; the surgeon had not completed proctored training.", LifecycleStage.Deployment, RiskOrigin.Endogenous),
                new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.VeryHigh));
            b.Plan(b.At(11, 16), t => new NotifyProvider(Id(K), Id("notification:surgery-provider"), Id("org:meridian"), ReportType.Initial, "NHT-DATIX-88213", Northgate, t));
            Evidence(K, b.At(12, 10), Northgate, "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea", 4_831_207_112, "video/mp4", EvidenceKind.Media, "Northgate clinical records vault, case 2025-CT-0912", "Console video of the procedure");
            Evidence(K, b.At(12, 11), Meridian, "b1946ac92492d2347c6235b4d2611184fa9e3b1b8e5b9d5e7a0f1c3a2b4c6d8e", 18_554_221, "application/x-ndjson", EvidenceKind.Logs, "Meridian service archive, unit AS3-00417", "Robot event and fault logs");
            NotifyAuthority(K, "notification:surgery-mhra", b.At(12, 15), Northgate, Recipient.SectoralRegulator, "Medicines and Healthcare products Regulatory Agency", "GB", ReportType.Initial, "MHRA-2025-004471");
            External(K, b.At(12, 16), Northgate, ExternalDatabase.Press, null, "https://www.guancha.cn/internation/2018_11_08_478891.shtml", "Press report of the 2015 case this demo incident is modelled on (cited by seed 000)");
            Loss(K, "loss:surgery", b.At(20), Northgate, 1, 0, new Money(550_000m, "GBP"), null, 1, LossConfidence.Estimated, "Death of the patient five days after surgery; damages claimed by the family.", "Post-mortem report and letter of claim");
            Assign(K, "assignment:surgery-hospital", b.At(25), Mhra, "org:northgate", PartyRole.Deployer, AccountabilityBasis.InadequateOversight, 60, AccountabilityStanding.Established,
                "The trust let a surgeon without completed proctored training operate, without a proctor present.");
            Assign(K, "assignment:surgery-provider", b.At(26), Northgate, "org:meridian", PartyRole.Provider, AccountabilityBasis.HardwareFault, 40, AccountabilityStanding.Presumed,
                "Repeated instrument collisions and camera loss point to a fault in the platform.");
            b.Plan(b.At(27), t => new AcknowledgeAccountability(Id(K), Id("assignment:surgery-hospital"), "The trust accepts that its credentialing process failed.", Northgate, t));
            b.Plan(b.At(28), t => new DisputeAccountability(Id(K), Id("assignment:surgery-provider"), "Logged collisions were within specification and caused by port placement; the platform behaved as documented.", 10, Meridian, t));
            b.Plan(b.At(30), t => new RecordRiskAssessment(Id(K), Id("risk:surgery"), RiskFramework.IsoIec42001, Likelihood.Unlikely, Impact.Severe, RiskOrigin.Endogenous, RiskScope.Individual, false,
                "Training and proctoring requirements were not part of the deployment risk assessment.", Meridian, t));
            Action(K, "action:surgery-proctoring", b.At(35), Northgate, CorrectiveActionKind.HumanOversight, CorrectiveActionStatus.Completed, "Proctor mandatory for the first 20 robotic cardiac cases of every surgeon.", "sys:aurasurg");
            Action(K, "action:surgery-firmware", b.At(40), Meridian, CorrectiveActionKind.Patch, CorrectiveActionStatus.Completed, "Firmware 3.2.2: collision warning and automatic camera recovery.", "sys:aurasurg");
            Amend(K, b.At(45), Northgate, ReportType.FollowUp, "Root-cause analysis: credentialing gap and port placement; platform faults under investigation by the provider.");
            Amend(K, b.At(90), Northgate, ReportType.Final, "Final report: inquest findings, corrective actions completed.");
            NotifyAuthority(K, "notification:surgery-mhra-final", b.At(91), Northgate, Recipient.SectoralRegulator, "Medicines and Healthcare products Regulatory Agency", "GB", ReportType.Final, "MHRA-2025-004471");
            b.Plan(b.At(110), t => new AdjudicateAccountability(Id(K), Id("adjudication:surgery"), AdjudicationForum.Court, "Coroner's inquest, record of inquest 2025/117",
                [new AdjudicatedShare(Id("org:northgate"), PartyRole.Deployer, AccountabilityBasis.InadequateOversight, 75), new AdjudicatedShare(Id("org:meridian"), PartyRole.Provider, AccountabilityBasis.HardwareFault, 25)],
                "Death contributed to by inexperience on the platform and the absence of a proctor; platform faults were a lesser factor.", Mhra, t));
            b.Plan(b.At(115), t => new PayCompensation(Id(K), Id("payment:surgery-insurer"), PayerKind.Insurer, Id("org:harbour"), Id("policy:harbour-meridian"), new Money(400_000m, "GBP"), "The patient's family", Harbour, t));
            b.Plan(b.At(115, 11), t => new PayCompensation(Id(K), Id("payment:surgery-trust"), PayerKind.LiableParty, Id("org:northgate"), null, new Money(150_000m, "GBP"), "The patient's family", Northgate, t));
            b.Plan(b.At(120), t => new CloseIncident(Id(K), IncidentResolution.Resolved, "Inquest concluded, shares adjudicated, compensation paid, corrective actions completed.", Northgate, t));
        }

        /// <summary>Modelled on driver-assistance "loss of control" disputes (seed 000: the 2021 "失控门" controversy).</summary>
        public void DriverAssistanceCrash()
        {
            const string K = "incident:driver-assistance";
            ReportIncident(
                K, b.At(21, 14), Voltaro, ReporterRole.Provider,
                "Car on driver assistance struck a stationary truck",
                "With lane keeping and adaptive cruise engaged, a car failed to brake for a truck stopped in the lane at night; the driver and a passenger were seriously injured. The manufacturer and the driver's family dispute whether the system or the driver failed. Modelled on the driver-assistance 'loss of control' disputes cited by seed 000.",
                b.At(20, 21, 10), b.At(21, 8), ["DE"], [("sys:voltaro-pilot", null)], Sector.Transport,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.SeriousHarmToHealth], HarmType.Physical, HarmType.Property), 2,
                new CausalLink(CausalRelation.ContributingFactor, "The perception stack did not classify the stationary truck as an obstacle; takeover requests came 1.2 s before impact.", LifecycleStage.TestingValidation, RiskOrigin.Endogenous),
                new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.High));
            Evidence(K, b.At(22, 9), Voltaro, "e3b98a4da31a127d4bde6e43033f66ba274cab0eb7eb1c70ec41402bf6273dd8", 734_003_200, "application/octet-stream", EvidenceKind.SensorData, "Voltaro forensic store, VIN WVO-4J-220917", "Event data recorder and camera frames, 30 s before impact");
            External(K, b.At(22, 10), Voltaro, ExternalDatabase.Press, null, "https://new.qq.com/rain/a/20210210A0CPO600", "Press report of the 2021 driver-assistance controversy this demo incident is modelled on (cited by seed 000)");
            b.Plan(b.At(24, 16), t => new AssessSeverity(Id(K), Classified(OecdLevel.SeriousIncident, [EuCriterion.Death, EuCriterion.SeriousHarmToHealth], HarmType.Physical, HarmType.Property),
                new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.VeryHigh), "The driver died of his injuries on day three; the passenger remains in hospital.", Kba, t));
            NotifyAuthority(K, "notification:crash-kba", b.At(25, 11), Voltaro, Recipient.MarketSurveillanceAuthority, "Kraftfahrt-Bundesamt", "DE", ReportType.Initial, "KBA-MS-2025-1187");
            Loss(K, "loss:crash-1", b.At(30), Voltaro, 1, 1, new Money(1_900_000m, "EUR"), new Money(85_000m, "EUR"), 2, LossConfidence.Estimated, "Death of the driver, serious injury of the passenger, vehicle and truck damage.", "Insurer's first estimate");
            Action(K, "action:crash-ota", b.At(35), Voltaro, CorrectiveActionKind.Patch, CorrectiveActionStatus.Planned, "Over-the-air update: stationary-obstacle detection and earlier takeover requests.", "sys:voltaro-pilot");
            Assign(K, "assignment:crash-provider", b.At(40), Kba, "org:voltaro", PartyRole.Provider, AccountabilityBasis.DesignDefect, 50, AccountabilityStanding.Presumed,
                "Presumption of causation: the system was engaged and did not detect the obstacle.");
            b.Plan(b.At(42), t => new DisputeAccountability(Id(K), Id("assignment:crash-provider"), "The driver ignored two takeover requests and had his hands off the wheel for 40 seconds (user misuse).", 20, Voltaro, t));
            b.Plan(b.At(45), t => new RecordRiskAssessment(Id(K), Id("risk:crash"), RiskFramework.EuAiAct, Likelihood.Likely, Impact.Severe, RiskOrigin.Endogenous, RiskScope.Individual, false,
                "Night-time stationary obstacles were under-represented in validation; the risk assessment must be revised.", Voltaro, t));
            b.Plan(b.At(50), t => new ReleaseAiSystemVersion(Id("sys:voltaro-pilot"), "4.1", "Stationary-obstacle detection retrained; takeover requests 2.5 s earlier.", true, Voltaro, t));
            Action(K, "action:crash-ota", b.At(50, 12), Voltaro, CorrectiveActionKind.Patch, CorrectiveActionStatus.Completed, "Over-the-air update: stationary-obstacle detection and earlier takeover requests.", "sys:voltaro-pilot");
            Loss(K, "loss:crash-2", b.At(60), Rheinland, 1, 1, new Money(2_400_000m, "EUR"), new Money(85_000m, "EUR"), 2, LossConfidence.Confirmed, "Revised after the claims assessment, including loss of support for the driver's dependants.", "Rheinland claims file RA-S-25-4410", "loss:crash-1");
            b.Plan(b.At(70), t => new TakeRegulatoryAction(Id(K), Id("regulatory:crash-order"), RegulatoryActionKind.Order, "Kraftfahrt-Bundesamt", "DE", Id("org:voltaro"), null,
                "Order to roll out the obstacle-detection update to every vehicle within 30 days and to add driver monitoring.", "KBA-AO-2025-071", Kba, t));
            b.Plan(b.At(90), t => new AdjudicateAccountability(Id(K), Id("adjudication:crash"), AdjudicationForum.Regulator, "KBA decision 2025/0917",
                [new AdjudicatedShare(Id("org:voltaro"), PartyRole.Provider, AccountabilityBasis.DesignDefect, 60)],
                "The system failed to detect the obstacle within its operational design domain; the driver's inattention accounts for the rest.", Kba, t));
            b.Plan(b.At(95), t => new PayCompensation(Id(K), Id("payment:crash-insurer"), PayerKind.Insurer, Id("org:rheinland"), Id("policy:rheinland-voltaro"), new Money(1_200_000m, "EUR"), "The driver's estate and the injured passenger", Rheinland, t));
            b.Plan(b.At(95, 11), t => new PayCompensation(Id(K), Id("payment:crash-voltaro"), PayerKind.LiableParty, Id("org:voltaro"), null, new Money(240_000m, "EUR"), "The driver's estate and the injured passenger", Voltaro, t));
            Amend(K, b.At(96), Voltaro, ReportType.Final, "Final report: root cause, update rolled out, decision of the authority.");
            NotifyAuthority(K, "notification:crash-kba-final", b.At(97), Voltaro, Recipient.MarketSurveillanceAuthority, "Kraftfahrt-Bundesamt", "DE", ReportType.Final, "KBA-MS-2025-1187");
        }

        /// <summary>Modelled on the 2019 smart-speaker answer urging a user to harm herself (seed 000; dailymail.co.uk).</summary>
        public void VoiceAssistantHarmfulAdvice()
        {
            const string K = "incident:voice-assistant";
            ReportIncident(
                K, b.At(31, 10), Sonora, ReporterRole.Provider,
                "Voice assistant read out text urging the user to harm herself",
                "Asked about the cardiac cycle, the assistant read aloud a vandalised web passage telling the listener to stab herself in the heart 'for the greater good'. The exchange was posted on social media. Modelled on the 2019 smart-speaker case cited by seed 000.",
                b.At(30, 20), b.At(31, 7), ["IE"], [("sys:sonora-echo", null)], Sector.ContentServices,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.SeriousHarmToHealth], HarmType.Psychological), 1,
                new CausalLink(CausalRelation.DirectCause, "The assistant read unvetted web content verbatim.", LifecycleStage.Data, RiskOrigin.Endogenous),
                new SeverityGrade(AutonomyClass.Assistive, CaictGrade.High));
            Evidence(K, b.At(31, 12), Sonora, "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", 48_211, "application/json", EvidenceKind.PromptTranscript, "Sonora trust & safety case store, ticket TS-2025-3310", "Request, retrieved passage and spoken answer");
            External(K, b.At(31, 13), Sonora, ExternalDatabase.Press, null, "https://www.dailymail.co.uk/news/article-7809269/Amazon-Alexa-told-terrified-mother-29-stab-heart-greater-good.html", "Press report of the 2019 case this demo incident is modelled on (cited by seed 000)");
            Action(K, "action:voice-filter", b.At(32), Sonora, CorrectiveActionKind.Filter, CorrectiveActionStatus.Completed, "Self-harm content filter on every passage read aloud; unvetted wiki sources removed.", "sys:sonora-echo");
            b.Plan(b.At(33, 15), t => new AssessSeverity(Id(K), Classified(OecdLevel.Incident, [], HarmType.Psychological, HarmType.Disinformation), new SeverityGrade(AutonomyClass.Assistive, CaictGrade.LowMedium),
                "The user was distressed but not harmed; no serious harm to health, so not a serious incident.", AiOffice, t));
            Assign(K, "assignment:voice-provider", b.At(34), Sonora, "org:sonora", PartyRole.Provider, AccountabilityBasis.DataDefect, 100, AccountabilityStanding.Presumed,
                "The provider chose to read unvetted web sources aloud.");
            b.Plan(b.At(35), t => new AcknowledgeAccountability(Id(K), Id("assignment:voice-provider"), "We accept full responsibility and have removed the source.", Sonora, t));
            b.Plan(b.At(60), t => new CloseIncident(Id(K), IncidentResolution.Resolved, "Filter deployed, source removed, responsibility acknowledged.", Sonora, t));
        }

        /// <summary>Modelled on the 2024 companion-chatbot wrongful-death lawsuit in Florida (seed 001).</summary>
        public void CompanionChatbotLawsuit()
        {
            const string K = "incident:companion-chatbot";
            ReportIncident(
                K, b.At(71, 10), Alliance, ReporterRole.Public,
                "Teenager's suicide after months of conversations with a companion chatbot",
                "A 14-year-old died by suicide after an intense relationship with a companion character; the family's lawsuit alleges the product lacked age verification and crisis safeguards and encouraged the final act. Modelled on the 2024 wrongful-death lawsuit cited by seed 001.",
                b.At(40, 22), b.At(70, 9), ["US"], [("sys:kindred", null)], Sector.ContentServices,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.Death], HarmType.Physical, HarmType.Psychological, HarmType.HumanDignity), 1,
                new CausalLink(CausalRelation.ContributingFactor, "The companion reinforced the user's isolation and did not escalate expressions of suicidal intent.", LifecycleStage.Design, RiskOrigin.Derived),
                new SeverityGrade(AutonomyClass.FullyAutonomous, CaictGrade.VeryHigh));
            Evidence(K, b.At(72), Alliance, "2c624232cdd221771294dfbb310aca000a0df6ac8b66b696d90ef06fdefb64a3", 2_260_114, "text/plain", EvidenceKind.PromptTranscript, "Court record, exhibit B to the complaint", "Conversation excerpts filed with the complaint");
            External(K, b.At(72, 11), Alliance, ExternalDatabase.Court, "Garcia v. Character Technologies, Inc., No. 6:24-cv-01903 (M.D. Fla.)", null, "The real lawsuit this demo incident is modelled on (cited by seed 001)");
            Loss(K, "loss:companion", b.At(75), Alliance, 1, 0, null, null, 1, LossConfidence.Alleged, "Death of the user.", "Complaint");
            Assign(K, "assignment:companion-provider", b.At(75, 12), Alliance, "org:kindred", PartyRole.Provider, AccountabilityBasis.PlatformDuty, 60, AccountabilityStanding.Presumed,
                "No age verification and no escalation of suicidal statements.");
            Assign(K, "assignment:companion-model", b.At(75, 13), Alliance, "org:lumen", PartyRole.Developer, AccountabilityBasis.DesignDefect, 20, AccountabilityStanding.Presumed,
                "The underlying model was tuned for engagement and agreeableness.");
            b.Plan(b.At(80), t => new DisputeAccountability(Id(K), Id("assignment:companion-provider"), "Our terms exclude minors; the user misrepresented his age.", 20, Kindred, t));
            b.Plan(b.At(80, 11), t => new DisputeAccountability(Id(K), Id("assignment:companion-model"), "The model was licensed under a usage policy that forbids companion use with minors (responsibility follows control).", 0, Lumen, t));
            Action(K, "action:companion-safety", b.At(100), Kindred, CorrectiveActionKind.HumanOversight, CorrectiveActionStatus.InProgress, "Crisis-escalation to human reviewers and helpline referrals; age assurance for new accounts.", "sys:kindred");
            b.Plan(b.At(120), t => new TakeRegulatoryAction(Id(K), Id("regulatory:companion-inquiry"), RegulatoryActionKind.Inspection, "Federal Trade Commission", "US", Id("org:kindred"), null,
                "Information orders on how companion chatbots measure and mitigate harm to children.", "FTC 6(b) inquiry", Ftc, t));
        }

        /// <summary>Modelled on the 2021 dismissal of 147 employees on an algorithm's assessment (seed 000; gameworldobserver.com).</summary>
        public void AlgorithmicDismissals()
        {
            const string K = "incident:dismissals";
            ReportIncident(
                K, b.At(168, 10), Quanta, ReporterRole.Deployer,
                "147 employees dismissed on an algorithm's engagement score",
                "The company dismissed 147 employees, a third of its staff, whom the analytics system had scored as 'unengaged and unproductive', without individual review. The works council complained to the authority. Modelled on the 2021 case cited by seed 000.",
                b.At(160, 9), b.At(168, 8), ["ES"], [("sys:workpulse", null)], Sector.Employment,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.FundamentalRightsInfringement], HarmType.NonDiscrimination, HarmType.Economic), 147,
                new CausalLink(CausalRelation.DirectCause, "Dismissal decisions followed the system's score without human review.", LifecycleStage.Deployment, RiskOrigin.Derived),
                new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.High));
            b.Plan(b.At(169, 4), t => new NotifyProvider(Id(K), Id("notification:dismissals-provider"), Id("org:metricor"), ReportType.Initial, "QP-LEGAL-2025-019", Quanta, t));
            External(K, b.At(169, 9), Quanta, ExternalDatabase.Press, null, "https://gameworldobserver.com/2021/08/04/xsolla-fires-150-employees-using-big-data-and-ai-analysis-ceos-letter-causes-controversy", "Press report of the 2021 case this demo incident is modelled on (cited by seed 000)");
            Assign(K, "assignment:dismissals-provider", b.At(170), Quanta, "org:metricor", PartyRole.Provider, AccountabilityBasis.DesignDefect, 50, AccountabilityStanding.Presumed,
                "The score is opaque and was marketed as suitable for performance decisions.");
            Loss(K, "loss:dismissals", b.At(172), Quanta, 0, 0, new Money(3_100_000m, "EUR"), null, 147, LossConfidence.Estimated, "Lost wages and severance of the dismissed employees.", "Works council estimate");
            b.Plan(b.At(172, 14), t => new DisputeAccountability(Id(K), Id("assignment:dismissals-provider"), "The instructions for use forbid using the score as the sole ground for a decision (operator misuse).", 15, Metricor, t));
        }

        /// <summary>Modelled on the ShadowRay campaign: compute hijacked through an AI framework vulnerability (seed 002; oligo.security).</summary>
        public void ComputeHijack()
        {
            const string K = "incident:compute-hijack";
            ReportIncident(
                K, b.At(57, 12), Helix, ReporterRole.Provider,
                "Training cluster hijacked through a distributed-compute framework vulnerability",
                "Attackers used the unauthenticated job-submission API of the open-source framework running the training cluster to mine cryptocurrency on hundreds of GPUs for a week and copied checkpoints of the model. Modelled on the ShadowRay campaign cited by seed 002.",
                b.At(50, 3), b.At(57, 8), ["FR"], [("sys:helix-2", null)], Sector.Other,
                Classified(OecdLevel.SeriousIncident, [EuCriterion.SeriousPropertyOrEnvironmentalHarm], HarmType.CyberAttack, HarmType.Property, HarmType.Economic, HarmType.ModelTheft), null,
                new CausalLink(CausalRelation.FailedToPrevent, "The framework's dashboard and job API were reachable from the internet without authentication.", LifecycleStage.Deployment, RiskOrigin.Derived),
                new SeverityGrade(AutonomyClass.Assistive, CaictGrade.High));
            Evidence(K, b.At(57, 15), Helix, "4b227777d4dd1fc61c6f884f48641d02b4d121d3fd328cb08b5531fcacdabf8a", 92_114_007, "application/x-ndjson", EvidenceKind.Logs, "Helix SOC evidence locker, case IR-2025-044", "Job submission logs and GPU telemetry");
            External(K, b.At(58), Helix, ExternalDatabase.Other, "CVE-2023-48022", "https://nvd.nist.gov/vuln/detail/CVE-2023-48022", "The framework vulnerability exploited in the campaign this demo incident is modelled on");
            External(K, b.At(58, 10), Helix, ExternalDatabase.Press, null, "https://www.oligo.security/blog/shadowray-attack-ai-workloads-actively-exploited-in-the-wild", "Report of the ShadowRay campaign (cited by seed 002)");
            NotifyAuthority(K, "notification:hijack-ai-office", b.At(60, 10), Helix, Recipient.AiOffice, "European AI Office", "EU", ReportType.Initial, "AIO-SI-2025-0031");
            Action(K, "action:hijack-patch", b.At(61), Helix, CorrectiveActionKind.Patch, CorrectiveActionStatus.Completed, "Framework upgraded, job API behind mutual TLS, dashboard removed from the internet, credentials rotated.", "sys:helix-2");
            Assign(K, "assignment:hijack-provider", b.At(62), AiOffice, "org:helix", PartyRole.Provider, AccountabilityBasis.InadequateOversight, 40, AccountabilityStanding.Presumed,
                "The provider exposed the cluster's control plane; weights of a systemic-risk model must be protected (Art. 55(1)(d)).");
            Assign(K, "assignment:hijack-cloud", b.At(62, 11), AiOffice, "org:nimbus", PartyRole.CloudProvider, AccountabilityBasis.PlatformDuty, 10, AccountabilityStanding.Presumed,
                "The cloud provider's default network policy allowed inbound traffic to the cluster.");
            b.Plan(b.At(64), t => new DisputeAccountability(Id(K), Id("assignment:hijack-cloud"), "Under the shared-responsibility model network exposure is configured by the customer.", 0, Nimbus, t));
            b.Plan(b.At(65), t => new RecordRiskAssessment(Id(K), Id("risk:hijack"), RiskFramework.IsoIec42001, Likelihood.Likely, Impact.Major, RiskOrigin.Derived, RiskScope.Society, false,
                "Security of training infrastructure was out of scope of the model's systemic-risk assessment.", Helix, t));
            Loss(K, "loss:hijack", b.At(66), Helix, 0, 0, new Money(300_000m, "EUR"), new Money(1_400_000m, "EUR"), null, LossConfidence.Confirmed, "Hijacked GPU time and incident response.", "Cloud invoices and IR costs");
            b.Plan(b.At(80), t => new WithdrawAccountability(Id(K), Id("assignment:hijack-cloud"), "Review found the exposure was a customer-side configuration.", AiOffice, t));
            b.Plan(b.At(85), t => new AcknowledgeAccountability(Id(K), Id("assignment:hijack-provider"), "We accept that our control plane was exposed.", Helix, t));
            Amend(K, b.At(88), Helix, ReportType.Final, "Final report: exposure closed, no evidence the copied checkpoints were released.");
            NotifyAuthority(K, "notification:hijack-ai-office-final", b.At(89), Helix, Recipient.AiOffice, "European AI Office", "EU", ReportType.Final, "AIO-SI-2025-0031");
            b.Plan(b.At(90), t => new CloseIncident(Id(K), IncidentResolution.Resolved, "Exposure closed; responsibility acknowledged.", Helix, t));
            b.Plan(b.At(105), t => new ReopenIncident(Id(K), "Copied checkpoints were offered for sale; the model-theft dimension needs a new investigation.", AiOffice, t));
            Amend(K, b.At(106), Helix, ReportType.FollowUp, "Follow-up: checkpoints offered for sale on a forum; takedown requested, law enforcement informed.");
        }

        /// <summary>Modelled on the 2023 AI face-swap video-call fraud cases in China (seed 002; thepaper.cn).</summary>
        public void FaceSwapFraud()
        {
            const string K = "incident:face-swap";
            ReportIncident(
                K, b.At(122, 12), Xingyun, ReporterRole.Provider,
                "Face-swapped video call used to defraud a business owner of CNY 4.3 million",
                "A fraudster impersonated a friend of the victim in a video call using a face and voice swap produced with a consumer app and persuaded him to transfer CNY 4.3 million. Modelled on the 2023 face-swap fraud cases cited by seed 002.",
                b.At(120, 11), b.At(122, 8), ["CN"], [("sys:huanlian", null)], Sector.Finance,
                Classified(OecdLevel.Incident, [], HarmType.Economic, HarmType.Privacy), 1,
                new CausalLink(CausalRelation.InstrumentOfMisuse, "The app produced a real-time face and voice swap of a person who had not consented.", LifecycleStage.Design, RiskOrigin.Derived),
                new SeverityGrade(AutonomyClass.Assistive, CaictGrade.High));
            Evidence(K, b.At(122, 14), Xingyun, "ef2d127de37b942baad06145e54b0c619a1f22327b2ebbcfbec78f5564afe39d", 310_556_001, "video/mp4", EvidenceKind.Media, "Xingyun compliance archive, police request 2025-0347", "Generated video stream and account records");
            External(K, b.At(122, 15), Xingyun, ExternalDatabase.Press, null, "https://www.thepaper.cn/newsDetail_forward_23245389", "Press report of the 2023 case this demo incident is modelled on (cited by seed 002)");
            b.Plan(b.At(123, 12), t => new CheckReportingClocks(Id(K), Scheduler, t));
            NotifyAuthority(K, "notification:face-swap-cac", b.At(124, 10), Xingyun, Recipient.CyberspaceAdministration, "Cyberspace Administration of China", "CN", ReportType.Initial, "CAC-SS-2025-0912");
            Loss(K, "loss:face-swap-1", b.At(125), Cac, 0, 0, new Money(4_300_000m, "CNY"), null, 1, LossConfidence.Confirmed, "Transferred by the victim.", "Police report");
            Assign(K, "assignment:face-swap-provider", b.At(128), Cac, "org:xingyun", PartyRole.Provider, AccountabilityBasis.PlatformDuty, 30, AccountabilityStanding.Established,
                "No consent check for uploaded face templates and no visible synthetic-content label (Deep Synthesis Provisions).");
            b.Plan(b.At(129), t => new AcknowledgeAccountability(Id(K), Id("assignment:face-swap-provider"), "We accept that consent and labelling controls were missing.", Xingyun, t));
            b.Plan(b.At(130), t => new TakeRegulatoryAction(Id(K), Id("regulatory:face-swap-order"), RegulatoryActionKind.Order, "Cyberspace Administration of China", "CN", Id("org:xingyun"), null,
                "Rectification order: consent verification for face templates and visible labels on synthetic video.", "CAC-ZG-2025-118", Cac, t));
            Loss(K, "loss:face-swap-2", b.At(135), Cac, 0, 0, new Money(900_000m, "CNY"), null, 1, LossConfidence.Confirmed, "Loss after the police froze and returned CNY 3.4 million.", "Police report, update", "loss:face-swap-1");
            b.Plan(b.At(140), t => new TakeRegulatoryAction(Id(K), Id("regulatory:face-swap-withdrawal"), RegulatoryActionKind.WithdrawalOrder, "Cyberspace Administration of China", "CN", Id("org:xingyun"), null,
                "Real-time face swap removed from the app until rectification is verified.", "CAC-ZG-2025-131", Cac, t));
            b.Plan(b.At(140, 12), t => new WithdrawAiSystem(Id("sys:huanlian"), "Withdrawal order CAC-ZG-2025-131.", false, Cac, t));
            b.Plan(b.At(145), t => new PayCompensation(Id(K), Id("payment:face-swap"), PayerKind.LiableParty, Id("org:xingyun"), null, new Money(270_000m, "CNY"), "The victim", Xingyun, t));
            b.Plan(b.At(150), t => new CloseIncident(Id(K), IncidentResolution.Resolved, "Compensation paid; app feature withdrawn pending rectification.", Cac, t));
        }

        /// <summary>Modelled on the 2023 AI-generated false report of a bank failure that triggered runs (seed 003).</summary>
        public void DeepfakeBankRun()
        {
            const string K = "incident:bank-run";
            ReportIncident(
                K, b.At(130, 11), Cac, ReporterRole.Authority,
                "AI-generated false report of a bank failure triggered a run on deposits",
                "An AI-written article with a synthetic video claimed a regional bank was insolvent; it spread on social media and thousands of depositors queued to withdraw savings over two days. Modelled on the 2023 cases cited by seed 003.",
                b.At(130, 7), b.At(130, 10), ["CN"], [("sys:quicknews", null)], Sector.Finance,
                Classified(OecdLevel.SeriousIncident, [], HarmType.Disinformation, HarmType.Economic, HarmType.CriticalInfrastructure), 8000,
                new CausalLink(CausalRelation.InstrumentOfMisuse, "The article and video were generated with a news-writing service that added no synthetic-content label.", LifecycleStage.OperationMonitoring, RiskOrigin.Derived),
                new SeverityGrade(AutonomyClass.Assistive, CaictGrade.VeryHigh));
            Evidence(K, b.At(130, 12), Cac, "19581e27de7ced00ff1ce50b2047e7a567c76b1cbaebabe5ef03f7c3017bb5b7", 12_883_021, "application/zip", EvidenceKind.Media, "CAC monitoring centre archive, case 2025-BR-07", "Posts, article and video as captured");
            NotifyAuthority(K, "notification:bank-run-cac", b.At(130, 13, 30), Fenghua, Recipient.CyberspaceAdministration, "Cyberspace Administration of China", "CN", ReportType.Initial, "CAC-SS-2025-0977");
            b.Plan(b.At(131), t => new LinkIncident(Id(K), LinkKind.RelatedTo, Id("incident:face-swap"), null, null, null, "Both used synthetic media without labels.", Cac, t));
            Assign(K, "assignment:bank-run-provider", b.At(132), Cac, "org:fenghua", PartyRole.Provider, AccountabilityBasis.PlatformDuty, 40, AccountabilityStanding.Presumed,
                "Generated content carried neither explicit nor implicit AI labels.");
            b.Plan(b.At(133), t => new DisputeAccountability(Id(K), Id("assignment:bank-run-provider"), "The user removed the labels and posted the content elsewhere (user misuse).", 10, Fenghua, t));
            Loss(K, "loss:bank-run", b.At(135), Cac, 0, 0, new Money(12_000_000m, "CNY"), null, 8000, LossConfidence.Estimated, "Emergency liquidity and operating costs of the bank.", "People's Bank branch estimate");
            Action(K, "action:bank-run-labels", b.At(136), Fenghua, CorrectiveActionKind.Filter, CorrectiveActionStatus.Completed, "Explicit labels and invisible watermarks on every generated article and video; finance-rumour classifier.", "sys:quicknews");
            b.Plan(b.At(150), t => new AdjudicateAccountability(Id(K), Id("adjudication:bank-run"), AdjudicationForum.Regulator, "CAC decision 2025-JD-44",
                [new AdjudicatedShare(Id("org:fenghua"), PartyRole.Provider, AccountabilityBasis.PlatformDuty, 25)],
                "Labelling duty breached; most of the harm lies with the person who spread the content.", Cac, t));
            b.Plan(b.At(152), t => new TakeRegulatoryAction(Id(K), Id("regulatory:bank-run-fine"), RegulatoryActionKind.Fine, "Cyberspace Administration of China", "CN", Id("org:fenghua"), new Money(500_000m, "CNY"),
                "Fine for failing to label generated content.", "CAC-XF-2025-021", Cac, t));
            b.Plan(b.At(160), t => new RemoveSupplyChainParty(Id("sys:polymath"), Id("org:fenghua"), PartyRole.Deployer, "API access terminated after the bank-run incident.", Lumen, t));
        }

        /// <summary>Modelled on physical adversarial examples that make a stop sign read as a speed limit (seed 000).</summary>
        public void AdversarialStopSign()
        {
            const string K = "incident:stop-sign";
            ReportIncident(
                K, b.At(60, 10), Lindenberg, ReporterRole.Public,
                "Stickers on a stop sign make driver assistance read it as a speed limit",
                "Researchers showed that a few black-and-white stickers on a stop sign make the traffic-sign recognition read 'speed limit 80' in 84% of drive-bys; no vehicle has acted on it yet. Modelled on the physical adversarial-example attacks cited by seed 000.",
                b.At(58, 14), b.At(59, 9), ["DE"], [("sys:voltaro-pilot", "4.1")], Sector.Transport,
                Classified(OecdLevel.SeriousHazard, [], HarmType.Physical, HarmType.CyberAttack), null,
                new CausalLink(CausalRelation.Undetermined, "The sign classifier is vulnerable to physical adversarial perturbations.", LifecycleStage.ModelBuilding, RiskOrigin.Endogenous),
                new SeverityGrade(AutonomyClass.HumanMachineHybrid, CaictGrade.High));
            Evidence(K, b.At(61), Lindenberg, "c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a", 65_104_880, "application/zip", EvidenceKind.Dataset, "TU Lindenberg data repository, doi:10.0000/demo.stop-sign", "Perturbation patterns and drive-by recordings");
            b.Plan(b.At(61, 11), t => new LinkIncident(Id(K), LinkKind.RelatedTo, Id("incident:driver-assistance"), null, null, null, "Same perception stack.", Lindenberg, t));
            External(K, b.At(61, 12), Lindenberg, ExternalDatabase.Other, "arXiv:1707.08945", "https://arxiv.org/abs/1707.08945", "Robust physical-world attacks on deep learning visual classification (the attack this demo hazard is modelled on)");
            b.Plan(b.At(65), t => new RecordRiskAssessment(Id(K), Id("risk:stop-sign"), RiskFramework.NistAiRmf, Likelihood.Possible, Impact.Severe, RiskOrigin.Endogenous, RiskScope.Society, false,
                "Adversarial robustness of sign recognition was not measured; MEASURE 2.7 gap.", Voltaro, t));
            Action(K, "action:stop-sign-training", b.At(70), Voltaro, CorrectiveActionKind.Retraining, CorrectiveActionStatus.InProgress, "Adversarial training and map-based plausibility checks for stop signs.", "sys:voltaro-pilot");
            b.Plan(b.At(100), t => new ReleaseAiSystemVersion(Id("sys:voltaro-pilot"), "4.2", "Adversarially trained sign classifier with map plausibility checks.", false, Voltaro, t));
            Action(K, "action:stop-sign-training", b.At(100, 12), Voltaro, CorrectiveActionKind.Retraining, CorrectiveActionStatus.Completed, "Adversarial training and map-based plausibility checks for stop signs.", "sys:voltaro-pilot");
            b.Plan(b.At(110), t => new CloseIncident(Id(K), IncidentResolution.Resolved, "Version 4.2 resists the published perturbations.", Lindenberg, t));
            b.Plan(b.At(150), t => new ReopenIncident(Id(K), "A new perturbation pattern defeats version 4.2 in 31% of drive-bys.", Lindenberg, t));
            Amend(K, b.At(151), Lindenberg, ReportType.FollowUp, "Follow-up: new pattern and measurements shared with the provider.");
        }
    }
}
