using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MessageGateway : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fatigue_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fatigue_settings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "member_message_consents",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscribeMarketing = table.Column<bool>(type: "INTEGER", nullable: false),
                    WeComMarketing = table.Column<bool>(type: "INTEGER", nullable: false),
                    SmsMarketing = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_message_consents", x => x.MemberId);
                    table.ForeignKey(
                        name: "FK_member_message_consents_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "message_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Keys = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Page = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_message_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbound_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DataJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Page = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    GuideId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbound_messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_outbound_messages_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "subscribe_quotas",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WeixinTemplateId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Remaining = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscribe_quotas", x => new { x.MemberId, x.WeixinTemplateId });
                    table.ForeignKey(
                        name: "FK_subscribe_quotas_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "touches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_touches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_touches_members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "fatigue_settings",
                columns: new[] { "Id", "Json", "UpdatedAt", "UpdatedBy", "Version" },
                values: new object[] { 1, "{\"windows\":[{\"channel\":null,\"max\":1,\"days\":1,\"kind\":\"calendar\"},{\"channel\":null,\"max\":3,\"days\":7,\"kind\":\"rolling\"},{\"channel\":null,\"max\":8,\"days\":30,\"kind\":\"rolling\"}],\"quietHours\":{\"start\":\"21:00\",\"end\":\"09:00\",\"action\":\"postpone\",\"startTime\":\"21:00:00\",\"endTime\":\"09:00:00\"},\"holidays\":[],\"whitelist\":[],\"capAccountMessages\":false,\"longestDays\":30}", null, null, 0 });

            migrationBuilder.CreateIndex(
                name: "IX_message_templates_Channel_ExternalId",
                table: "message_templates",
                columns: new[] { "Channel", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_message_templates_Purpose_Channel",
                table: "message_templates",
                columns: new[] { "Purpose", "Channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_CampaignId_Status",
                table: "outbound_messages",
                columns: new[] { "CampaignId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_GuideId_Status",
                table: "outbound_messages",
                columns: new[] { "GuideId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_MemberId",
                table: "outbound_messages",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_SourceKey",
                table: "outbound_messages",
                column: "SourceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbound_messages_Status_NotBefore_Priority",
                table: "outbound_messages",
                columns: new[] { "Status", "NotBefore", "Priority" });

            migrationBuilder.CreateIndex(
                name: "IX_touches_CampaignId",
                table: "touches",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_touches_MemberId_At",
                table: "touches",
                columns: new[] { "MemberId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_touches_MemberId_Day",
                table: "touches",
                columns: new[] { "MemberId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_touches_MessageId",
                table: "touches",
                column: "MessageId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fatigue_settings");

            migrationBuilder.DropTable(
                name: "member_message_consents");

            migrationBuilder.DropTable(
                name: "message_templates");

            migrationBuilder.DropTable(
                name: "outbound_messages");

            migrationBuilder.DropTable(
                name: "subscribe_quotas");

            migrationBuilder.DropTable(
                name: "touches");
        }
    }
}
