using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guide.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FatigueRulesJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UpdateData(
                table: "fatigue_settings",
                keyColumn: "Id",
                keyValue: 1,
                column: "Json",
                value: "{\"windows\":[{\"channel\":null,\"max\":1,\"days\":1,\"kind\":\"calendar\"},{\"channel\":null,\"max\":3,\"days\":7,\"kind\":\"rolling\"},{\"channel\":null,\"max\":8,\"days\":30,\"kind\":\"rolling\"}],\"quietHours\":{\"start\":\"21:00\",\"end\":\"09:00\",\"action\":\"postpone\"},\"holidays\":[],\"whitelist\":[],\"capAccountMessages\":false}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.UpdateData(
                table: "fatigue_settings",
                keyColumn: "Id",
                keyValue: 1,
                column: "Json",
                value: "{\"windows\":[{\"channel\":null,\"max\":1,\"days\":1,\"kind\":\"calendar\"},{\"channel\":null,\"max\":3,\"days\":7,\"kind\":\"rolling\"},{\"channel\":null,\"max\":8,\"days\":30,\"kind\":\"rolling\"}],\"quietHours\":{\"start\":\"21:00\",\"end\":\"09:00\",\"action\":\"postpone\",\"startTime\":\"21:00:00\",\"endTime\":\"09:00:00\"},\"holidays\":[],\"whitelist\":[],\"capAccountMessages\":false,\"longestDays\":30}");
        }
    }
}
