using IncidentLedger.Domain.AiSystems;
using IncidentLedger.Domain.Incidents;
using IncidentLedger.Domain.Organisations;
using IncidentLedger.Domain.Policies;
using IncidentLedger.Domain.Taxonomies;

namespace IncidentLedger.Domain.Demo;

/// <summary>
/// A deterministic demo ledger built only through the deciders: nine incidents modelled on the cases
/// the source reports discuss, with the organisations, systems, supply chains, notifications,
/// accountability disputes, losses, compensation and insurance policies around them.
/// Organisations and products are fictional stand-ins; each incident names the public case it is
/// modelled on and links to the source the reports cite. Dates are shifted so that every event
/// falls within <see cref="Span"/> after the origin, with reporting clocks in every state.
/// </summary>
public static partial class DemoDataSet
{
    /// <summary>All demo events fall within this span after the origin: pass a date at least this far in the past to have them all in the past.</summary>
    public static TimeSpan Span { get; } = TimeSpan.FromDays(185);

    /// <summary>
    /// Builds the data set; the same origin and copy always give the same commands, ids and events.
    /// Copies other than 0 are the same cases under other ids (for volume: 57 copies hold about 10,000 events).
    /// </summary>
    public static DemoData Build(DateTimeOffset origin, int copy = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(copy);
        var b = new DemoBuilder(origin, copy);
        var s = new Script(b);
        s.Organisations();
        s.Systems();
        s.Policies();
        s.RoboticSurgeryDeath();
        s.DriverAssistanceCrash();
        s.VoiceAssistantHarmfulAdvice();
        s.CompanionChatbotLawsuit();
        s.AlgorithmicDismissals();
        s.ComputeHijack();
        s.FaceSwapFraud();
        s.DeepfakeBankRun();
        s.AdversarialStopSign();
        return b.Build();
    }

    private sealed partial class Script(DemoBuilder b)
    {
        private static readonly string[] NoExclusions = [];

        private Guid Id(string key) => b.Id(key);

        private Actor Operator(string org, string subject) => new(subject, Id(org), ActorRole.Operator, []);

        private Actor Regulator(string org, string subject, params string[] jurisdictions) => new(subject, Id(org), ActorRole.Regulator, jurisdictions);

        private Actor Insurer(string org, string subject) => new(subject, Id(org), ActorRole.Insurer, []);

        private Actor Scheduler => new("deadline-scheduler", Id("org:ledger"), ActorRole.Admin, []);

        // Operators, regulators and insurers of the demo.
        private Actor Meridian => Operator("org:meridian", "j.hale@meridian-surgical.example");

        private Actor Northgate => Operator("org:northgate", "patient.safety@northgate-nhs.example");

        private Actor Mhra => Regulator("org:mhra", "devices.vigilance@mhra.example", "GB");

        private Actor Voltaro => Operator("org:voltaro", "product.safety@voltaro.example");

        private Actor Kba => Regulator("org:kba", "marktueberwachung@kba.example", "DE");

        private Actor Sonora => Operator("org:sonora", "trust@sonora-home.example");

        private Actor AiOffice => Regulator("org:ai-office", "incidents@ai-office.example", "EU");

        private Actor Lumen => Operator("org:lumen", "safety@lumen-models.example");

        private Actor Kindred => Operator("org:kindred", "legal@kindred-ai.example");

        private Actor Alliance => Operator("org:dca", "casework@digitalchildhood.example");

        private Actor Ftc => Regulator("org:ftc", "ai.inquiries@ftc.example", "US");

        private Actor Metricor => Operator("org:metricor", "compliance@metricor.example");

        private Actor Quanta => Operator("org:quanta", "rrhh@quanta-payments.example");

        private Actor Aesia => Regulator("org:aesia", "vigilancia@aesia.example", "ES");

        private Actor Helix => Operator("org:helix", "security@helix-frontier.example");

        private Actor Nimbus => Operator("org:nimbus", "abuse@nimbus-cloud.example");

        private Actor Xingyun => Operator("org:xingyun", "compliance@xingyun-vision.example");

        private Actor Fenghua => Operator("org:fenghua", "content.safety@fenghua-media.example");

        private Actor Cac => Regulator("org:cac", "ai.filing@cac.example", "CN");

        private Actor Lindenberg => Operator("org:lindenberg", "seclab@tu-lindenberg.example");

        private Actor Harbour => Insurer("org:harbour", "claims@harbour-mutual.example");

        private Actor Rheinland => Insurer("org:rheinland", "haftpflicht@rheinland-assekuranz.example");

        private Actor Pacific => Insurer("org:pacific", "tech.claims@pacific-specialty.example");

        public void Organisations()
        {
            Register("org:meridian", "Meridian Surgical Robotics Ltd", "GB", Meridian, OrganisationKind.Company);
            Register("org:northgate", "Northgate Hospitals NHS Foundation Trust", "GB", Northgate, OrganisationKind.PublicBody);
            Register("org:mhra", "Medicines and Healthcare products Regulatory Agency", "GB", Mhra, OrganisationKind.Regulator);
            Register("org:voltaro", "Voltaro Automotive AG", "DE", Voltaro, OrganisationKind.Company);
            Register("org:kba", "Kraftfahrt-Bundesamt (market surveillance)", "DE", Kba, OrganisationKind.Regulator);
            Register("org:sonora", "Sonora Home Devices Ltd", "IE", Sonora, OrganisationKind.Company);
            Register("org:ai-office", "European AI Office", "EU", AiOffice, OrganisationKind.Regulator);
            Register("org:lumen", "Lumen Foundation Models Inc.", "US", Lumen, OrganisationKind.Company);
            Register("org:kindred", "Kindred AI Inc.", "US", Kindred, OrganisationKind.Company);
            Register("org:dca", "Digital Childhood Alliance", "US", Alliance, OrganisationKind.CivilSociety);
            Register("org:ftc", "Federal Trade Commission", "US", Ftc, OrganisationKind.Regulator);
            Register("org:metricor", "Metricor Ltd", "IE", Metricor, OrganisationKind.Company);
            Register("org:quanta", "Quanta Payments S.L.", "ES", Quanta, OrganisationKind.Company);
            Register("org:aesia", "Agencia Española de Supervisión de la Inteligencia Artificial", "ES", Aesia, OrganisationKind.Regulator);
            Register("org:helix", "Helix Frontier AI SAS", "FR", Helix, OrganisationKind.Company);
            Register("org:nimbus", "Nimbus Cloud SE", "DE", Nimbus, OrganisationKind.Company);
            Register("org:xingyun", "Xingyun Vision Technology Co., Ltd.", "CN", Xingyun, OrganisationKind.Company);
            Register("org:fenghua", "Fenghua Media Technology Co., Ltd.", "CN", Fenghua, OrganisationKind.Company);
            Register("org:cac", "Cyberspace Administration of China", "CN", Cac, OrganisationKind.Regulator);
            Register("org:lindenberg", "TU Lindenberg Security Lab", "DE", Lindenberg, OrganisationKind.ResearchInstitution);
            Register("org:harbour", "Harbour Mutual Insurance plc", "GB", Harbour, OrganisationKind.Insurer);
            Register("org:rheinland", "Rheinland Assekuranz AG", "DE", Rheinland, OrganisationKind.Insurer);
            Register("org:pacific", "Pacific Specialty Underwriters Inc.", "US", Pacific, OrganisationKind.Insurer);
            b.Plan(b.At(100), t => new RenameOrganisation(Id("org:metricor"), "Metricor Workforce Analytics Ltd", "Change of company name after a merger", Metricor, t));
        }

        private void Register(string key, string name, string country, Actor actor, OrganisationKind kind) =>
            b.Plan(b.At(0, 8), t => new RegisterOrganisation(Id(key), name, country, [kind], null, actor, t));

        public void Systems()
        {
            RegisterSystem("sys:aurasurg", "AuraSurg", "3.2.1", "org:meridian", null, Meridian, Sector.Healthcare, EuRiskTier.High, AutonomyClass.HumanMachineHybrid,
                "Robot-assisted minimally invasive cardiac surgery under the control of a console surgeon.", null,
                [new SupplyChainParty(Id("org:northgate"), PartyRole.Deployer)], [new RegistrationId(RegistrationScheme.Other, "MHRA-DORS-2024-55812")]);
            RegisterSystem("sys:voltaro-pilot", "Voltaro Pilot", "4.0", "org:voltaro", "org:voltaro", Voltaro, Sector.Transport, EuRiskTier.High, AutonomyClass.HumanMachineHybrid,
                "SAE level 2 driver assistance: lane keeping, adaptive cruise control and traffic-sign recognition, under continuous driver supervision.", null,
                [], [new RegistrationId(RegistrationScheme.EuDatabase, "EU-AIDB-HR-000417")]);
            RegisterSystem("sys:polymath", "Polymath-7", "7.0", "org:lumen", "org:lumen", Lumen, Sector.ContentServices, EuRiskTier.Gpai, AutonomyClass.Assistive,
                "General-purpose language and speech model offered to developers through an API.", null,
                [new SupplyChainParty(Id("org:kindred"), PartyRole.Deployer), new SupplyChainParty(Id("org:sonora"), PartyRole.Deployer), new SupplyChainParty(Id("org:fenghua"), PartyRole.Deployer)], []);
            b.Plan(b.At(3), t => new ChangeAiSystemRiskTier(Id("sys:polymath"), EuRiskTier.GpaiSystemicRisk, "Designated under Art. 52: training compute above 10^25 FLOP.", AiOffice, t));
            RegisterSystem("sys:sonora-echo", "Sonora Echo", "2.3", "org:sonora", null, Sonora, Sector.ContentServices, EuRiskTier.Limited, AutonomyClass.Assistive,
                "Voice assistant for smart speakers: answers questions and reads web content aloud.", "sys:polymath", [], []);
            RegisterSystem("sys:kindred", "Kindred Companion", "3.1", "org:kindred", null, Kindred, Sector.ContentServices, EuRiskTier.Limited, AutonomyClass.FullyAutonomous,
                "Conversational companion characters for entertainment and social chat.", "sys:polymath", [], []);
            RegisterSystem("sys:workpulse", "WorkPulse Analytics", "5.4", "org:metricor", null, Metricor, Sector.Employment, EuRiskTier.High, AutonomyClass.HumanMachineHybrid,
                "Scores employee engagement and productivity from work-tool telemetry to support HR decisions.", null,
                [new SupplyChainParty(Id("org:quanta"), PartyRole.Deployer)], [new RegistrationId(RegistrationScheme.EuDatabase, "EU-AIDB-HR-001288")]);
            RegisterSystem("sys:helix-2", "Helix-2", "2.0", "org:helix", "org:helix", Helix, Sector.Other, EuRiskTier.GpaiSystemicRisk, AutonomyClass.Assistive,
                "General-purpose multimodal foundation model, trained and served on a distributed compute cluster.", null, [], []);
            b.Plan(b.At(2, 10), t => new AddSupplyChainParty(Id("sys:helix-2"), Id("org:nimbus"), PartyRole.CloudProvider, Helix, t));
            RegisterSystem("sys:huanlian", "HuanLian Studio", "2.0", "org:xingyun", null, Xingyun, Sector.ContentServices, EuRiskTier.Limited, AutonomyClass.Assistive,
                "Face and voice swapping for short entertainment videos.", null, [], [new RegistrationId(RegistrationScheme.CnAlgorithmFiling, "DEMO-CN-ALG-0001")]);
            RegisterSystem("sys:quicknews", "QuickNews Writer", "1.6", "org:fenghua", null, Fenghua, Sector.ContentServices, EuRiskTier.Limited, AutonomyClass.Assistive,
                "Drafts news-style articles and social media posts from prompts.", "sys:polymath", [], [new RegistrationId(RegistrationScheme.CnGenerativeAiFiling, "DEMO-CN-GEN-0002")]);
        }

        private void RegisterSystem(
            string key, string name, string version, string provider, string? developer, Actor actor, Sector sector, EuRiskTier tier, AutonomyClass autonomy,
            string purpose, string? foundation, SupplyChainParty[] parties, RegistrationId[] registrations) =>
            b.Plan(b.At(1, 9), t => new RegisterAiSystem(
                Id(key), name, version, Id(provider), developer is null ? null : Id(developer), parties, sector, tier, autonomy, purpose,
                foundation is null ? null : Id(foundation), null, registrations, actor, t));

        /// <summary>A system as an incident records it, from its stream's state at that moment.</summary>
        private InvolvedSystem Involve(DemoBuilder builder, string key, string? version = null)
        {
            var profile = builder.State<AiSystem>(StreamTypes.AiSystem, Id(key)).ProfileOrDefault
                ?? throw new InvalidOperationException($"Demo system {key} is not registered yet.");
            var foundation = profile.FoundationModelId is { } model ? builder.State<AiSystem>(StreamTypes.AiSystem, model).ProfileOrDefault : null;
            return profile.Involvement(version, foundation);
        }

        public void Policies()
        {
            Bind("policy:harbour-meridian", "HM-PL-2025-0417", "org:harbour", "org:meridian", ["sys:aurasurg"], Harbour, new Money(5_000_000m, "GBP"), new Money(50_000m, "GBP"), CoverageKind.ProductLiability);
            Bind("policy:rheinland-voltaro", "RA-PH-2025-88120", "org:rheinland", "org:voltaro", ["sys:voltaro-pilot"], Rheinland, new Money(20_000_000m, "EUR"), new Money(250_000m, "EUR"), CoverageKind.ProductLiability);
            Bind("policy:rheinland-helix", "RA-CY-2025-10233", "org:rheinland", "org:helix", ["sys:helix-2"], Rheinland, new Money(10_000_000m, "EUR"), new Money(500_000m, "EUR"), CoverageKind.Cyber);
            Bind("policy:pacific-kindred", "PSU-TEO-25-3391", "org:pacific", "org:kindred", ["sys:kindred"], Pacific, new Money(15_000_000m, "USD"), new Money(250_000m, "USD"), CoverageKind.ProfessionalIndemnity);
            Bind("policy:pacific-lumen", "PSU-TEO-25-3392", "org:pacific", "org:lumen", ["sys:polymath"], Pacific, new Money(50_000_000m, "USD"), new Money(1_000_000m, "USD"), CoverageKind.ThirdPartyLiability);
            Bind("policy:harbour-sonora", "HM-TL-2025-0788", "org:harbour", "org:sonora", ["sys:sonora-echo"], Harbour, new Money(2_000_000m, "EUR"), new Money(25_000m, "EUR"), CoverageKind.ThirdPartyLiability);
            b.Plan(b.At(60, 15), t => new EndorsePolicy(Id("policy:rheinland-voltaro"), Id("endorsement:voltaro-limit"), [], [], new Money(25_000_000m, "EUR"), null, null,
                "Limit raised after the driver-assistance crash, at the insured's request.", t, Rheinland, t));
            b.Plan(b.At(90, 12), t => new LapsePolicy(Id("policy:harbour-sonora"), PolicyLapseReason.NonPayment, t, "Second premium instalment unpaid.", Harbour, t));
        }

        private void Bind(string key, string number, string insurer, string insured, string[] systems, Actor actor, Money limit, Money retention, CoverageKind coverage) =>
            b.Plan(b.At(5), t => new BindPolicy(
                Id(key), number, Id(insurer), Id(insured), systems.Select(Id).ToArray(), [coverage],
                b.Origin, b.Origin.AddDays(365), limit, retention, null, NoExclusions, actor, t));
    }
}
